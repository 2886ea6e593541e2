// name: load_entities
// purpose: Create or update the entities of one kind: nodes labelled Entity and the kind's label.
// param: rows (list, required): one list per entity, laid out as in `row`
// row: [id, load_order, properties, starts_on, ends_on, {{columns}}]
// mode: write
// note: {{columns}} in `row` and {{columns n}} in the body stand for the record's columns that the file does not name itself, filled by labournet from its record type (labournet.model.dataset), so a new field needs no edit here.
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: {{label}} is the kind's label from the schema (Country, Sector, ...). properties is a map of every property the kind declares, null where empty, so a property emptied in the data is removed from the node.
// note: starts_on and ends_on are the ISO days (YYYY-MM-DD) the entity starts and ends on by the snapshot rule (labournet.model.dates: the first day of valid_from, else of date; the last day of valid_until), null when it has none, so Cypher can ask what holds on a day (cypher/queries/network_as_of.cypher). labournet derives them; a pull does not read them.
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {id: row[0]})
SET n.load_order = row[1], n.starts_on = row[3], n.ends_on = row[4], {{columns n}}
SET n += row[2]
