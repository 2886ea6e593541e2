// name: measures_and_targets
// title: Measures and what they touch
// purpose: Every measure (sanction, visa stop, campaign) with who takes it, what it responds to, and each host, sector or organisation it targets with the figures on that targeting (workers affected, visas).
// param: measure (string, default null): one measure's id; null for every measure
// note: A measure without targets gives one row with target null.
// note: The WITH before the last OPTIONAL MATCH is there for FalkorDB, which otherwise fails when the previous OPTIONAL MATCH found nothing.
MATCH (m:Measure)
WHERE $measure IS NULL OR m.id = $measure
OPTIONAL MATCH (taker:Entity)-[:TAKES_MEASURE]->(m)
WITH m, collect(DISTINCT taker.id) AS taken_by
OPTIONAL MATCH (m)-[:RESPONDS_TO]->(cause:Entity)
WITH m, taken_by, collect(DISTINCT cause.id) AS responds_to
OPTIONAL MATCH (m)-[aim:TARGETS]->(target:Entity)
WITH m, taken_by, responds_to, aim, target
OPTIONAL MATCH (f:Figure {subject: aim.id})
RETURN m.id AS measure, m.name AS name, m.date AS date, m.instrument AS instrument,
       taken_by, responds_to, target.id AS target, target.kind AS target_kind,
       f.measure AS figure, f.low AS low, coalesce(f.best, (f.low + f.high) / 2.0) AS best,
       f.high AS high, f.unit AS unit, aim.id AS relation
ORDER BY measure, target, figure
