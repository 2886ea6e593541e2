// name: find_scored_relations
// purpose: Which of the given ids are relations in the graph, of which type, and from which node.
// param: ids (list, required): ids not found among the entities
// mode: read
MATCH (a:Entity)-[r]->(:Entity)
WHERE r.id IN $ids
RETURN r.id AS id, type(r) AS type, a.id AS source
