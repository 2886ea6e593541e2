// name: load_assumptions
// purpose: Create or update Assumption nodes, one per row of assumptions.csv.
// param: rows (list, required): one list per assumption, laid out as in `row`
// row: [id, load_order, {{columns}}]
// mode: write
// note: {{columns}} in `row` and {{columns n}} in the body stand for the record's columns that the file does not name itself, filled by labournet from its record type (labournet.model.dataset), so a new field needs no edit here.
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: Empty lists travel as null, so an assumption without sources has no sources property.
UNWIND $rows AS row
MERGE (a:Assumption {id: row[0]})
SET a.load_order = row[1], {{columns a}}
