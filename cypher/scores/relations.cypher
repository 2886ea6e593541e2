// name: write_relation_scores
// purpose: Set score properties on the relationships of one type; null removes one.
// param: rows (list, required): one list per relation
// row: [id, scores]
// mode: write
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row[0]}]->()
SET r += row[1]
