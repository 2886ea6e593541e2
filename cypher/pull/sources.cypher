// name: pull_sources
// purpose: Every source, as a row of sources.csv.
// mode: read
MATCH (s:Source)
WHERE NOT s:Entity
RETURN s.id AS id, s.publisher AS publisher, s.title AS title, s.date AS date, s.url AS url,
       s.note AS note, s.load_order AS load_order
