// name: count_relationships
// purpose: How many relationships there are of each type.
// mode: read
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
