// name: load_assumptions
// purpose: Create or update Assumption nodes, one per row of assumptions.csv.
// param: rows (list, required): one list per assumption, laid out as in `row`
// row: [id, statement, reasoning, sources, load_order]
// mode: write
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: Empty lists travel as null, so an assumption without sources has no sources property.
UNWIND $rows AS row
MERGE (a:Assumption {id: row[0]})
SET a.statement = row[1], a.reasoning = row[2], a.sources = row[3],
    a.load_order = row[4]
