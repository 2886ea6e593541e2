// name: neighbourhood
// title: One entity's neighbourhood
// purpose: Everything directly linked to one entity: each relation in or out, the entity at its other end, the claim behind it and whether it rests on assumptions.
// param: id (string, required, example "cn"): the entity's id
// param: limit (integer, default 200): at most this many rows
// note: One step only: Cypher cannot take a path length as a parameter; chain calls, or write (n)-[*1..2]-(m) in your own query, for more.
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
WHERE r.kind IS NOT NULL
RETURN r.kind AS relation_kind,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       m.id AS neighbour, m.kind AS neighbour_kind, m.name AS neighbour_name,
       r.id AS relation, r.claim AS claim, size(coalesce(r.assumptions, [])) > 0 AS assumed
ORDER BY relation_kind, direction, neighbour
LIMIT $limit
