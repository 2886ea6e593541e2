// name: gds_drop
// purpose: Drop a projection from the GDS catalog; a missing one is not an error.
// param: graph (string, required): the name of the projection
// mode: read
// servers: neo4j
CALL gds.graph.drop($graph, false)
YIELD graphName
RETURN graphName
