// name: gds_project_shifted
// purpose: Project the entity graph with one self-loop added on every entity (the matrix A + I), for an eigenvector centrality that iterates as networkx's does.
// param: graph (string, required): the name of the projection in the GDS catalog
// mode: read
// servers: neo4j
// note: networkx iterates x <- x + A'x; on a graph that is not strongly connected (the bundled one) plain power iteration on A converges elsewhere, or to nothing.
// note: UNION ALL keeps a real self-loop beside the added one, as networkx counts it: x + A'x.
CALL () {
  MATCH (s:Entity)-->(t:Entity)
  RETURN DISTINCT s, t
  UNION ALL
  MATCH (s:Entity)
  RETURN s, s AS t
}
WITH gds.graph.project($graph, s, t) AS projected
RETURN projected.graphName AS graphName, projected.nodeCount AS nodeCount,
       projected.relationshipCount AS relationshipCount
