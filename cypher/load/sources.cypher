// name: load_sources
// purpose: Create or update Source nodes, one per row of sources.csv.
// param: rows (list, required): one list per source, laid out as in `row`
// row: [id, load_order, {{columns}}]
// mode: write
// note: {{columns}} in `row` and {{columns n}} in the body stand for the record's columns that the file does not name itself, filled by labournet from its record type (labournet.model.dataset), so a new field needs no edit here.
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
UNWIND $rows AS row
MERGE (s:Source {id: row[0]})
SET s.load_order = row[1], {{columns s}}
