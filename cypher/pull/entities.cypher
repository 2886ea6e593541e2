// name: pull_entities
// purpose: Every entity, with the values of the schema's entity properties in the order given.
// param: properties (list, required): the schema's entity property names
// mode: read
// note: {{columns n}} stands for the record's columns that the file does not return under their own name, filled by labournet from its record type.
// note: Values, not properties(n): a map per row makes the answer several times larger, and it would carry score properties the dataset does not hold.
MATCH (n:Entity)
RETURN n.id AS id, n.load_order AS load_order, [key IN $properties | n[key]] AS properties,
       {{columns n}}
