// name: write_entity_scores
// purpose: Set score properties (e.g. score_pagerank, pressure_score) on entity nodes; null removes one.
// param: rows (list, required): one list per entity
// row: [id, scores]
// mode: write
UNWIND $rows AS row
MATCH (n:Entity {id: row[0]})
SET n += row[1]
