// name: pull_figures
// purpose: Every figure, as a row of figures.csv.
// mode: read
MATCH (f:Figure)
RETURN f.id AS id, f.subject AS subject, f.measure AS measure, f.low AS low, f.best AS best,
       f.high AS high, f.unit AS unit, f.year AS year, f.claim AS claim, f.sources AS sources,
       f.assumptions AS assumptions, f.stated_by AS stated_by, f.formula AS formula,
       f.load_order AS load_order, f.low_exact AS low_exact,
       f.best_exact AS best_exact, f.high_exact AS high_exact
