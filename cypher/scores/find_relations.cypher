// name: find_scored_relations
// purpose: Which of the given ids are relations in the graph, and of which type.
// param: ids (list, required): ids not found among the entities
// mode: read
MATCH (:Entity)-[r]->(:Entity)
WHERE r.id IN $ids
RETURN r.id AS id, type(r) AS type
