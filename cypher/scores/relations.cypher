// name: write_relation_scores
// purpose: Set score properties on the relationships of one type, found from their source node; null removes one.
// param: rows (list, required): one list per relation
// row: [id, source, scores]
// mode: write
UNWIND $rows AS row
MATCH (:Entity {id: row[1]})-[r:{{type}} {id: row[0]}]->()
SET r += row[2]
