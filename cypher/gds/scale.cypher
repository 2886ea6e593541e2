// name: gds_scale
// purpose: Multiply a score property that GDS wrote by a factor, so that it follows networkx's convention (e.g. betweenness divided by (n - 1)(n - 2)).
// param: factor (float, required): the factor
// mode: write
// servers: neo4j
// note: {{property}} is one of labournet's score_* property names, checked before it is filled in.
MATCH (n:Entity)
WHERE n.{{property}} IS NOT NULL
SET n.{{property}} = n.{{property}} * $factor
RETURN count(n) AS scaled
