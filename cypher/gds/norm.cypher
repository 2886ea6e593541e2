// name: gds_norm
// purpose: The Euclidean length of a score property over the entities and how many are non-zero, to check that an eigenvector GDS wrote is one (unit length, not all zeros).
// mode: read
// servers: neo4j
// note: {{property}} is one of labournet's score_* property names, checked before it is filled in.
MATCH (n:Entity)
RETURN sqrt(sum(coalesce(n.{{property}}, 0.0) ^ 2)) AS norm,
       count(CASE WHEN n.{{property}} <> 0 THEN 1 END) AS nonzero
