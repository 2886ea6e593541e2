// name: pull_sources
// purpose: Every source, as a row of sources.csv.
// mode: read
// note: {{columns n}} stands for the record's columns that the file does not return under their own name, filled by labournet from its record type.
MATCH (s:Source)
WHERE NOT s:Entity
RETURN s.id AS id, s.load_order AS load_order, {{columns s}}
