// name: load_figures
// purpose: Create or update Figure nodes: a range (low, best, high) with unit, year and evidence.
// param: rows (list, required): one list per figure, laid out as in `row`
// row: [id, load_order, exact, {{columns}}]
// mode: write
// note: {{columns}} in `row` and {{columns n}} in the body stand for the record's columns that the file does not name itself, filled by labournet from its record type (labournet.model.dataset), so a new field needs no edit here.
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: subject is the id of an entity or of a relation; relationships cannot be the end of a relationship, so it is a property (indexed) for both.
// note: formula is the arithmetic that derives the figure from others (null for a figure read from a source); low, best and high are then the values its formula gives.
// note: exact is a map {low_exact, best_exact, high_exact}: the number as text where 15 significant digits do not give it back exactly (FalkorDB answers with 15), else null.
UNWIND $rows AS row
MERGE (f:Figure {id: row[0]})
SET f.load_order = row[1], {{columns f}}
SET f += row[2]
