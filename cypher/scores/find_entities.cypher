// name: find_scored_entities
// purpose: Which of the given ids are entities in the graph.
// param: ids (list, required): ids of a score table's rows
// mode: read
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id
