// name: gds_closeness
// purpose: Write each entity's closeness with the Wasserman-Faust factor (networkx's wf_improved) as a node property.
// param: graph (string, required): the projection
// param: property (string, required): the node property to write
// param: concurrency (integer, default 4): threads (the open edition allows at most 4)
// mode: write
// servers: neo4j
// note: Run on ALONG, GDS measures the distances of the paths that reach a node, as networkx does on a directed graph.
CALL gds.closeness.write($graph, {relationshipTypes: ['ALONG'], writeProperty: $property,
                                  useWassermanFaust: true, concurrency: $concurrency})
YIELD nodePropertiesWritten, computeMillis
RETURN nodePropertiesWritten, computeMillis
