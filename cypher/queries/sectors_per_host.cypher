// name: sectors_per_host
// title: Sectors per host
// purpose: What the workers do in each host: one row per host and sector with the workers placed there and the other figures on that placement (wage, earnings kept).
// param: host (string, default null): one host's id; null for every host
// note: "best" is the best estimate, or the middle of the range where none is given.
MATCH (host:Entity)-[placed:WORKS_IN]->(sector:Entity)
WHERE $host IS NULL OR host.id = $host
OPTIONAL MATCH (w:Figure {subject: placed.id, measure: 'workers'})
OPTIONAL MATCH (wage:Figure {subject: placed.id, measure: 'wage'})
OPTIONAL MATCH (kept:Figure {subject: placed.id, measure: 'earnings_kept'})
RETURN host.id AS host, host.name AS host_name, sector.id AS sector, sector.name AS sector_name,
       w.low AS workers_low, coalesce(w.best, (w.low + w.high) / 2.0) AS workers_best,
       w.high AS workers_high,
       coalesce(wage.best, (wage.low + wage.high) / 2.0) AS wage_best, wage.unit AS wage_unit,
       coalesce(kept.best, (kept.low + kept.high) / 2.0) AS earnings_kept_best,
       size(coalesce(placed.assumptions, [])) + size(coalesce(w.assumptions, [])) > 0 AS assumed,
       placed.id AS relation
ORDER BY host, workers_best DESC, sector
