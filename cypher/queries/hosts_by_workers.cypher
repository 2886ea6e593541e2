// name: hosts_by_workers
// title: Hosts by workers and revenue
// purpose: The countries the regime sends workers to, ranked by the workers placed there, with the revenue that leaves each host on its way to the regime (the revenue figures on the host's REMITS_TO relations), and whether the numbers rest on assumptions.
// param: regime (string, default "kp"): id of the regime's node
// param: limit (integer, default 50): at most this many hosts
// note: Ranges are summed over a host's relations; "best" is the best estimate, or the middle of the range where none is given. A host without a figure shows 0.
// note: assumptions lists the assumptions behind the host's sends_workers and remits_to relations and their figures.
MATCH (regime:Entity {id: $regime})-[send:SENDS_WORKERS]->(host:Entity)
OPTIONAL MATCH (w:Figure {subject: send.id, measure: 'workers'})
WITH host,
     sum(coalesce(w.low, 0)) AS workers_low,
     sum(coalesce(w.best, (w.low + w.high) / 2.0, 0)) AS workers_best,
     sum(coalesce(w.high, 0)) AS workers_high,
     collect(send.assumptions) + collect(w.assumptions) AS worker_assumptions
OPTIONAL MATCH (host)-[remit:REMITS_TO]->(:Entity)
WITH host, workers_low, workers_best, workers_high, worker_assumptions, remit
OPTIONAL MATCH (r:Figure {subject: remit.id, measure: 'revenue'})
WITH host, workers_low, workers_best, workers_high, worker_assumptions,
     sum(coalesce(r.low, 0)) AS revenue_low,
     sum(coalesce(r.best, (r.low + r.high) / 2.0, 0)) AS revenue_best,
     sum(coalesce(r.high, 0)) AS revenue_high,
     collect(remit.assumptions) + collect(r.assumptions) AS revenue_assumptions
WITH host, workers_low, workers_best, workers_high, revenue_low, revenue_best, revenue_high,
     reduce(acc = [], ids IN worker_assumptions + revenue_assumptions |
            acc + [a IN coalesce(ids, []) WHERE NOT a IN acc]) AS assumptions
RETURN host.id AS host, host.name AS name,
       workers_low, workers_best, workers_high,
       revenue_low, revenue_best, revenue_high,
       size(assumptions) > 0 AS assumed, assumptions
ORDER BY workers_best DESC, revenue_best DESC, host
LIMIT $limit
