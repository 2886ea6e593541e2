// name: delete_relations
// purpose: Delete relationships of one type by id, found from their source node; the load then recreates them as the data says.
// param: rows (list, required): one [id, source] pair per relationship
// row: [id, source]
// mode: write
UNWIND $rows AS row
MATCH (:Entity {id: row[1]})-[r:{{type}} {id: row[0]}]->()
DELETE r
