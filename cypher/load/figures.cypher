// name: load_figures
// purpose: Create or update Figure nodes: a range (low, best, high) with unit, year and evidence.
// param: rows (list, required): one list per figure, laid out as in `row`
// row: [id, subject, measure, low, best, high, unit, year, claim, sources, assumptions, stated_by, formula, load_order, exact]
// mode: write
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: subject is the id of an entity or of a relation; relationships cannot be the end of a relationship, so it is a property (indexed) for both.
// note: formula is the arithmetic that derives the figure from others (null for a figure read from a source); low, best and high are then the values its formula gives.
// note: exact is a map {low_exact, best_exact, high_exact}: the number as text where 15 significant digits do not give it back exactly (FalkorDB answers with 15), else null.
UNWIND $rows AS row
MERGE (f:Figure {id: row[0]})
SET f.subject = row[1], f.measure = row[2], f.low = row[3], f.best = row[4], f.high = row[5],
    f.unit = row[6], f.year = row[7], f.claim = row[8], f.sources = row[9],
    f.assumptions = row[10], f.stated_by = row[11], f.formula = row[12],
    f.load_order = row[13]
SET f += row[14]
