// name: delete_relations
// purpose: Delete relationships of one type by id; the load then recreates them as the data says.
// param: ids (list, required): relation ids
// mode: write
UNWIND $ids AS id
MATCH ()-[r:{{type}} {id: id}]->()
DELETE r
