// name: load_figure_links
// purpose: Link each figure about an entity to it, (:Figure)-[:FIGURE_OF]->(:Entity), for browsing.
// param: rows (list, required): one list per figure whose subject is an entity
// row: [figure, entity]
// mode: write
UNWIND $rows AS row
MATCH (f:Figure {id: row[0]})
MATCH (e:Entity {id: row[1]})
MERGE (f)-[:FIGURE_OF]->(e)
