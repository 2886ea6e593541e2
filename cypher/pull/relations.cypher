// name: pull_relations
// purpose: Every relation between entities, with the values of the schema's relation properties in the order given.
// param: properties (list, required): the schema's relation property names
// mode: read
// note: {{columns n}} stands for the record's columns that the file does not return under their own name, filled by labournet from its record type.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.kind IS NOT NULL
RETURN r.id AS id, a.id AS source, b.id AS target, r.load_order AS load_order,
       [key IN $properties | r[key]] AS properties, {{columns r}}
