// name: unlink_figures
// purpose: Remove FIGURE_OF links left over from a figure whose subject changed.
// mode: write
MATCH (f:Figure)-[link:FIGURE_OF]->(e:Entity)
WHERE e.id <> f.subject
DELETE link
