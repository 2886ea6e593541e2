// name: existing_relations
// purpose: The id, type and ends of every relation, so a reload can find relations whose kind or ends changed or that are duplicated.
// mode: read
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.kind IS NOT NULL
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target
