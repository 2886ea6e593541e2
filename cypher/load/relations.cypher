// name: load_relations
// purpose: Create or update the relations of one kind between entities already loaded.
// param: rows (list, required): one list per relation, laid out as in `row`
// row: [id, source, target, load_order, properties, starts_on, ends_on, {{columns}}]
// mode: write
// note: {{columns}} in `row` and {{columns n}} in the body stand for the record's columns that the file does not name itself, filled by labournet from its record type (labournet.model.dataset), so a new field needs no edit here.
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: {{type}} is the kind's relationship type from the schema (SENDS_WORKERS, ...). properties is a map of every property the kind declares, null where empty.
// note: starts_on and ends_on are the ISO days (YYYY-MM-DD) the relation starts and ends on by the snapshot rule (labournet.model.dates: the first day of valid_from, else of date; the last day of valid_until), null when it has none. labournet derives them; a pull does not read them.
UNWIND $rows AS row
MATCH (a:Entity {id: row[1]})
MATCH (b:Entity {id: row[2]})
MERGE (a)-[r:{{type}} {id: row[0]}]->(b)
SET r.load_order = row[3], r.starts_on = row[5], r.ends_on = row[6], {{columns r}}
SET r += row[4]
