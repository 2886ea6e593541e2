// name: pull_figures
// purpose: Every figure, as a row of figures.csv.
// mode: read
// note: {{columns n}} stands for the record's columns that the file does not return under their own name, filled by labournet from its record type.
MATCH (f:Figure)
RETURN f.id AS id, f.load_order AS load_order, f.low_exact AS low_exact,
       f.best_exact AS best_exact, f.high_exact AS high_exact, {{columns f}}
