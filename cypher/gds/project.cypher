// name: gds_project
// purpose: Project the entity graph into GDS's in-memory catalog as the simple directed graph labournet.centrality computes on: every relation between entities, parallel relations merged into one, once along their direction (ALONG) and once against it (AGAINST).
// param: graph (string, required): the name of the projection in the GDS catalog
// mode: read
// servers: neo4j
CALL gds.graph.project($graph, 'Entity', {
  ALONG: {type: '*', orientation: 'NATURAL', aggregation: 'SINGLE'},
  AGAINST: {type: '*', orientation: 'REVERSE', aggregation: 'SINGLE'}
})
YIELD graphName, nodeCount, relationshipCount
RETURN graphName, nodeCount, relationshipCount
