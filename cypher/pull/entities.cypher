// name: pull_entities
// purpose: Every entity, with the values of the schema's entity properties in the order given.
// param: properties (list, required): the schema's entity property names
// mode: read
// note: Values, not properties(n): a map per row makes the answer several times larger, and it would carry score properties the dataset does not hold.
MATCH (n:Entity)
RETURN n.id AS id, n.kind AS kind, n.name AS name, n.description AS description,
       n.sources AS sources, n.assumptions AS assumptions, n.load_order AS load_order,
       [key IN $properties | n[key]] AS properties
