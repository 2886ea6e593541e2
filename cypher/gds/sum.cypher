// name: gds_sum
// purpose: The sum of a score property over the entities (to rescale PageRank to a distribution).
// mode: read
// servers: neo4j
// note: {{property}} is one of labournet's score_* property names, checked before it is filled in.
MATCH (n:Entity)
RETURN sum(n.{{property}}) AS total, count(n) AS nodes
