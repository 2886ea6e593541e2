// name: gds_degree
// purpose: Write each entity's number of neighbours along one orientation of the projection (ALONG: out-degree, AGAINST: in-degree) as a node property.
// param: graph (string, required): the projection
// param: orientation (string, required): ALONG or AGAINST
// param: property (string, required): the node property to write
// param: concurrency (integer, default 4): threads (the open edition allows at most 4)
// mode: write
// servers: neo4j
CALL gds.degree.write($graph, {relationshipTypes: [$orientation], writeProperty: $property,
                               concurrency: $concurrency})
YIELD nodePropertiesWritten, computeMillis
RETURN nodePropertiesWritten, computeMillis
