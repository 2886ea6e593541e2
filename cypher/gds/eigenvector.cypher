// name: gds_eigenvector
// purpose: Write each entity's eigenvector centrality (power iteration over the incoming relations of the shifted projection, A + I; unit Euclidean length) as a node property.
// param: graph (string, required): the shifted projection (project_shifted.cypher)
// param: property (string, required): the node property to write
// param: tolerance (float, default 1e-10): stop when no score changes by more than this
// param: iterations (integer, default 1000): at most this many iterations
// param: concurrency (integer, default 4): threads (the open edition allows at most 4)
// mode: write
// servers: neo4j
CALL gds.eigenvector.write($graph, {writeProperty: $property,
                                    tolerance: $tolerance, maxIterations: $iterations,
                                    concurrency: $concurrency})
YIELD nodePropertiesWritten, ranIterations, didConverge, computeMillis
RETURN nodePropertiesWritten, ranIterations, didConverge, computeMillis
