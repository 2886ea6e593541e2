// name: load_entities
// purpose: Create or update the entities of one kind: nodes labelled Entity and the kind's label.
// param: rows (list, required): one list per entity, laid out as in `row`
// row: [id, kind, name, description, sources, assumptions, load_order, properties]
// mode: write
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: {{label}} is the kind's label from the schema (Country, Sector, ...). properties is a map of every property the kind declares, null where empty, so a property emptied in the data is removed from the node.
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {id: row[0]})
SET n.kind = row[1], n.name = row[2], n.description = row[3], n.sources = row[4],
    n.assumptions = row[5], n.load_order = row[6]
SET n += row[7]
