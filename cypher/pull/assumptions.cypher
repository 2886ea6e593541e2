// name: pull_assumptions
// purpose: Every assumption, as a row of assumptions.csv.
// mode: read
// note: {{columns n}} stands for the record's columns that the file does not return under their own name, filled by labournet from its record type.
MATCH (a:Assumption)
RETURN a.id AS id, a.load_order AS load_order, {{columns a}}
