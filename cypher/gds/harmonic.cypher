// name: gds_harmonic
// purpose: Write each entity's harmonic centrality (GDS divides the sum of 1/distance by n - 1) as a node property.
// param: graph (string, required): the projection
// param: property (string, required): the node property to write
// param: concurrency (integer, default 4): threads (the open edition allows at most 4)
// mode: write
// servers: neo4j
CALL gds.closeness.harmonic.write($graph, {relationshipTypes: ['ALONG'], writeProperty: $property,
                                           concurrency: $concurrency})
YIELD nodePropertiesWritten, computeMillis
RETURN nodePropertiesWritten, computeMillis
