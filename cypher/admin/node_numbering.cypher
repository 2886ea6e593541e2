// name: node_numbering
// purpose: How many nodes the graph holds and its highest internal node id, so that a bulk load (labournet.store.bulk) knows the id the server gives the first node it adds.
// mode: read
MATCH (n)
RETURN count(n) AS nodes, max(id(n)) AS last
