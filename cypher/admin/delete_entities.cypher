// name: delete_entities
// purpose: Delete entity nodes (and their relationships) by id; the load then recreates them as the data says.
// param: ids (list, required): entity ids
// mode: write
UNWIND $ids AS id
MATCH (n:Entity {id: id})
DETACH DELETE n
