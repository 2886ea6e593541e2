// name: nodes_by_internal_id
// purpose: The record id of the nodes with the given internal ids, so that a bulk load can check that the server numbered its nodes as the load did.
// param: ids (list, required): internal node ids
// mode: read
MATCH (n)
WHERE id(n) IN $ids
RETURN id(n) AS internal, n.id AS id
