// name: top_pressure_points
// title: Top pressure points by stored score
// purpose: The entities and relations with the highest stored score, as written back by `labournet db analyse --write` (or Store.write_scores), with whether the score rests on assumptions.
// param: score (string, default "pressure_score"): the score property to rank by (e.g. pressure_score, score_pagerank)
// param: assumed (string, default "pressure_assumed"): the property that flags a score resting on assumptions
// param: limit (integer, default 20): at most this many rows
// scores: score
// note: Refused until an analysis run has written the score property (an AnalysisRun node lists what it wrote; see the scores header). Property names are parameters (n[$score]), never query text.
MATCH (n:Entity)
WHERE n[$score] IS NOT NULL
WITH collect({id: n.id, element: 'entity', kind: n.kind, name: n.name, score: n[$score],
              assumed: n[$assumed]}) AS nodes
OPTIONAL MATCH (a:Entity)-[r]->(b:Entity)
WHERE r[$score] IS NOT NULL
WITH nodes,
     collect(CASE WHEN r IS NULL THEN null ELSE
       {id: r.id, element: 'relation', kind: r.kind, name: a.name + ' -> ' + b.name,
        score: r[$score], assumed: r[$assumed]} END) AS relations
UNWIND nodes + relations AS row
RETURN row.id AS id, row.element AS element, row.kind AS kind, row.name AS name,
       row.score AS score, row.assumed AS assumed
ORDER BY score DESC, id
LIMIT $limit
