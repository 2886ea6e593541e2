// name: gds_available
// purpose: Whether the database has the Graph Data Science procedures labournet calls.
// mode: read
// servers: neo4j
SHOW PROCEDURES YIELD name
WHERE name IN ['gds.graph.project', 'gds.betweenness.write', 'gds.pageRank.write']
RETURN count(*) AS available
