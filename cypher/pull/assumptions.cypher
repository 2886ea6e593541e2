// name: pull_assumptions
// purpose: Every assumption, as a row of assumptions.csv.
// mode: read
MATCH (a:Assumption)
RETURN a.id AS id, a.statement AS statement, a.reasoning AS reasoning, a.sources AS sources,
       a.load_order AS load_order
