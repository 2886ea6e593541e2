// name: gds_betweenness
// purpose: Write each entity's betweenness (Brandes, exact, unnormalised: sums over ordered pairs) along the relations' direction as a node property.
// param: graph (string, required): the projection
// param: property (string, required): the node property to write
// param: concurrency (integer, default 4): threads (the open edition allows at most 4)
// mode: write
// servers: neo4j
CALL gds.betweenness.write($graph, {relationshipTypes: ['ALONG'], writeProperty: $property,
                                    concurrency: $concurrency})
YIELD nodePropertiesWritten, computeMillis
RETURN nodePropertiesWritten, computeMillis
