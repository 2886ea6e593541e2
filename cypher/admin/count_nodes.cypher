// name: count_nodes
// purpose: How many nodes carry each combination of labels.
// mode: read
MATCH (n)
RETURN labels(n) AS labels, count(*) AS count
