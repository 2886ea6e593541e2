// name: evidence
// title: The evidence behind a relation, entity or figure
// purpose: For one id, every claim behind it (the relation's or entity's own, and those of the figures about it) with each source (publisher, title, date, URL) and the assumptions it rests on. One row per claim and source.
// param: id (string, required, example "r-cn-remits-kp"): id of a relation, entity or figure
// note: A claim without sources gives one row with source null.
MATCH (:Entity)-[r]->(:Entity)
WHERE r.id = $id
UNWIND CASE WHEN size(coalesce(r.sources, [])) = 0 THEN [null] ELSE r.sources END AS sid
OPTIONAL MATCH (s:Source {id: sid})
RETURN 'relation' AS item, r.id AS item_id, r.kind AS what, r.claim AS claim,
       r.assumptions AS assumptions, sid AS source, s.publisher AS publisher, s.title AS title,
       s.date AS date, s.url AS url
UNION ALL
MATCH (n:Entity {id: $id})
UNWIND CASE WHEN size(coalesce(n.sources, [])) = 0 THEN [null] ELSE n.sources END AS sid
OPTIONAL MATCH (s:Source {id: sid})
RETURN 'entity' AS item, n.id AS item_id, n.kind AS what, n.description AS claim,
       n.assumptions AS assumptions, sid AS source, s.publisher AS publisher, s.title AS title,
       s.date AS date, s.url AS url
UNION ALL
MATCH (f:Figure)
WHERE f.subject = $id OR f.id = $id
UNWIND CASE WHEN size(coalesce(f.sources, [])) = 0 THEN [null] ELSE f.sources END AS sid
OPTIONAL MATCH (s:Source {id: sid})
RETURN 'figure' AS item, f.id AS item_id, f.measure AS what, f.claim AS claim,
       f.assumptions AS assumptions, sid AS source, s.publisher AS publisher, s.title AS title,
       s.date AS date, s.url AS url
