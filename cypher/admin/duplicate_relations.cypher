// name: duplicate_relations
// purpose: Relation ids held by more than one relationship; a correct load leaves none.
// mode: read
MATCH ()-[r]->()
WHERE r.id IS NOT NULL
WITH r.id AS id, count(*) AS copies
WHERE copies > 1
RETURN id, copies
