// name: gds_remove
// purpose: Remove a score property from every entity (the in- and out-degree written only to add up the degree).
// mode: write
// servers: neo4j
// note: {{property}} is one of labournet's score_* property names, checked before it is filled in.
MATCH (n:Entity)
WHERE n.{{property}} IS NOT NULL
REMOVE n.{{property}}
RETURN count(n) AS removed
