// name: pull_relations
// purpose: Every relation between entities, with the values of the schema's relation properties in the order given.
// param: properties (list, required): the schema's relation property names
// mode: read
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.kind IS NOT NULL
RETURN r.id AS id, r.kind AS kind, a.id AS source, b.id AS target, r.claim AS claim,
       r.sources AS sources, r.assumptions AS assumptions, r.load_order AS load_order,
       [key IN $properties | r[key]] AS properties
