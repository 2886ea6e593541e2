// name: gds_add
// purpose: Set a property to the sum of two others (degree = in-degree + out-degree) times a factor.
// param: factor (float, required): the factor, 1 / (n - 1) for networkx's degree centrality
// mode: write
// servers: neo4j
// note: {{property}}, {{left}} and {{right}} are labournet's score_* property names, checked before they are filled in.
MATCH (n:Entity)
SET n.{{property}} = (n.{{left}} + n.{{right}}) * $factor
RETURN count(n) AS written
