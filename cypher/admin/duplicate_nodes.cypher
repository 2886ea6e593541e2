// name: duplicate_nodes
// purpose: Ids held by more than one node of the same kind of record (entity, source, assumption, figure); a correct load leaves none.
// mode: read
MATCH (n)
WHERE n:Entity OR n:Source OR n:Assumption OR n:Figure
WITH CASE WHEN n:Entity THEN 'Entity' WHEN n:Figure THEN 'Figure'
          WHEN n:Assumption THEN 'Assumption' ELSE 'Source' END AS record,
     n.id AS id, count(*) AS copies
WHERE copies > 1
RETURN record, id, copies
