// name: pull_entities
// purpose: Every entity with all its properties (the kind's schema properties are picked out in Python).
// mode: read
MATCH (n:Entity)
RETURN n.id AS id, n.kind AS kind, n.name AS name, n.description AS description,
       n.sources AS sources, n.assumptions AS assumptions, properties(n) AS properties
