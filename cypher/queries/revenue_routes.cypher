// name: revenue_routes
// title: Routes by which earnings reach the regime
// purpose: Every chain of REMITS_TO relations from a host of the regime's workers back to the regime (directly, or through employers, agencies and brokers), with the revenue on its weakest link and whether any link rests on assumptions.
// param: regime (string, default "kp"): id of the regime's node
// param: limit (integer, default 100): at most this many routes
// note: Routes have at most 6 links: Cypher cannot take the length bound of a variable-length pattern as a parameter (on either server).
// note: relations lists the route's relations in order, from the host to the regime.
// note: revenue_* is the smallest revenue figure along the route (the most that can flow through all of it); null when a link has no revenue figure.
MATCH (regime:Entity {id: $regime})-[:SENDS_WORKERS]->(host:Entity)
MATCH route = (host)-[:REMITS_TO*1..6]->(regime)
WITH host, [n IN nodes(route) | n.id] AS path, relationships(route) AS links
WITH host, path, links, [link IN links | link.id] AS relations
UNWIND links AS link
OPTIONAL MATCH (f:Figure {subject: link.id, measure: 'revenue'})
WITH host, path, relations, size(relations) AS hops,
     count(f) AS with_figures,
     min(f.low) AS low, min(coalesce(f.best, (f.low + f.high) / 2.0)) AS best, min(f.high) AS high,
     sum(size(coalesce(link.assumptions, [])) + size(coalesce(f.assumptions, []))) AS n_assumed
RETURN host.id AS host, host.name AS host_name, path AS route, hops, relations,
       CASE WHEN with_figures = hops THEN low ELSE null END AS revenue_low,
       CASE WHEN with_figures = hops THEN best ELSE null END AS revenue_best,
       CASE WHEN with_figures = hops THEN high ELSE null END AS revenue_high,
       n_assumed > 0 AS assumed
ORDER BY revenue_best DESC, host, hops
LIMIT $limit
