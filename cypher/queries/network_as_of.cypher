// name: network_as_of
// title: The network as of a date
// purpose: The entities and relations of the network as it stood on a day, by the snapshot rule of Dataset.as_of and every --as-of: what has started by then and not ended before it, and each relation only when both its ends are in too. One row per entity, then one per relation, with the days each starts and ends on.
// param: date (date, required, example "2016"): the day; a year or a month (2016, 2016-07) stands for its last day
// note: The rule (labournet.model.dates) compares days: a record starts on the first day of its valid_from, else of its date, and ends on the last day of its valid_until; the load stores those days as starts_on and ends_on (ISO text, null when absent), so an undated record is in every snapshot.
// note: For a relation, name is "source name -> target name" and source and target are the ids of its ends; for an entity they are null.
// note: Entities and relations are gathered into lists and unwound, as in top_pressure_points, so that one ORDER BY sorts both.
MATCH (n:Entity)
WHERE (n.starts_on IS NULL OR n.starts_on <= $date)
  AND (n.ends_on IS NULL OR n.ends_on >= $date)
WITH collect({element: 'entity', id: n.id, kind: n.kind, name: n.name, source: null,
              target: null, starts_on: n.starts_on, ends_on: n.ends_on}) AS nodes
OPTIONAL MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.kind IS NOT NULL
  AND (r.starts_on IS NULL OR r.starts_on <= $date)
  AND (r.ends_on IS NULL OR r.ends_on >= $date)
  AND (a.starts_on IS NULL OR a.starts_on <= $date)
  AND (a.ends_on IS NULL OR a.ends_on >= $date)
  AND (b.starts_on IS NULL OR b.starts_on <= $date)
  AND (b.ends_on IS NULL OR b.ends_on >= $date)
WITH nodes,
     collect(CASE WHEN r IS NULL THEN null ELSE
       {element: 'relation', id: r.id, kind: r.kind, name: a.name + ' -> ' + b.name,
        source: a.id, target: b.id, starts_on: r.starts_on, ends_on: r.ends_on} END) AS relations
UNWIND nodes + relations AS row
RETURN row.element AS element, row.id AS id, row.kind AS kind, row.name AS name,
       row.source AS source, row.target AS target, row.starts_on AS starts_on,
       row.ends_on AS ends_on
ORDER BY element, id
