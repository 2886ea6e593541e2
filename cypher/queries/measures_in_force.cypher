// name: measures_in_force
// title: Measures in force on a date
// purpose: The measures (sanctions, visa stops, campaigns) in force on a day, by the snapshot rule of Dataset.as_of, with their dates, who takes them (TAKES_MEASURE) and what they target (TARGETS) on that day.
// param: date (date, required, example "2016"): the day; a year or a month (2016, 2016-07) stands for its last day
// note: A measure is in force when it has started by the day (the first day of its valid_from, else of its date) and not ended before it (the last day of its valid_until): the days the load stores as starts_on and ends_on. An undated measure is always in force.
// note: taken_by and targets hold the entities at the other end of the measure's TAKES_MEASURE and TARGETS relations that are in the snapshot too (the relation and its other end both in force); relations lists those relations' ids. The lists are in no particular order.
// note: The WITH after each OPTIONAL MATCH is there for FalkorDB, which otherwise fails when the previous OPTIONAL MATCH found nothing.
MATCH (m:Measure)
WHERE (m.starts_on IS NULL OR m.starts_on <= $date)
  AND (m.ends_on IS NULL OR m.ends_on >= $date)
OPTIONAL MATCH (taker:Entity)-[take:TAKES_MEASURE]->(m)
WHERE (take.starts_on IS NULL OR take.starts_on <= $date)
  AND (take.ends_on IS NULL OR take.ends_on >= $date)
  AND (taker.starts_on IS NULL OR taker.starts_on <= $date)
  AND (taker.ends_on IS NULL OR taker.ends_on >= $date)
WITH m, collect(DISTINCT taker.id) AS taken_by, collect(take.id) AS taking
OPTIONAL MATCH (m)-[aim:TARGETS]->(target:Entity)
WHERE (aim.starts_on IS NULL OR aim.starts_on <= $date)
  AND (aim.ends_on IS NULL OR aim.ends_on >= $date)
  AND (target.starts_on IS NULL OR target.starts_on <= $date)
  AND (target.ends_on IS NULL OR target.ends_on >= $date)
WITH m, taken_by, taking, collect(DISTINCT target.id) AS targets, collect(aim.id) AS aiming
RETURN m.id AS measure, m.name AS name, m.instrument AS instrument, m.date AS date,
       m.valid_from AS valid_from, m.valid_until AS valid_until, m.starts_on AS starts_on,
       m.ends_on AS ends_on, taken_by, targets, taking + aiming AS relations
ORDER BY measure
