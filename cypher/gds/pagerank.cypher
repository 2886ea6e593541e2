// name: gds_pagerank
// purpose: Write each entity's PageRank (damping 0.85) along the relations' direction as a node property.
// param: graph (string, required): the projection
// param: property (string, required): the node property to write
// param: tolerance (float, default 1e-10): stop when no score changes by more than this
// param: iterations (integer, default 1000): at most this many iterations
// param: concurrency (integer, default 4): threads (the open edition allows at most 4)
// mode: write
// servers: neo4j
// note: GDS's scores are not a distribution (the teleport term is 1 - damping, and the rank of nodes without outgoing relations is not passed on); rescaled to sum 1 they are networkx's fixed point, since networkx spreads that rank as it teleports (uniformly).
CALL gds.pageRank.write($graph, {relationshipTypes: ['ALONG'], writeProperty: $property,
                                 dampingFactor: 0.85, tolerance: $tolerance,
                                 maxIterations: $iterations, concurrency: $concurrency})
YIELD nodePropertiesWritten, ranIterations, didConverge, computeMillis
RETURN nodePropertiesWritten, ranIterations, didConverge, computeMillis
