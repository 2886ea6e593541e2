// name: existing_entities
// purpose: The id, kind and labels of every entity node, so a reload can find nodes whose kind changed or that are duplicated.
// mode: read
MATCH (n:Entity)
RETURN n.id AS id, n.kind AS kind, labels(n) AS labels
