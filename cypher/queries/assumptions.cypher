// name: assumptions
// title: The assumptions results rest on
// purpose: Every assumption (something no source gives, made so the analysis can run) with its reasoning and sources, and the entities, relations and figures that rest on it, most depended-on first.
// param: id (string, default null): one assumption's id; null for all
MATCH (a:Assumption)
WHERE $id IS NULL OR a.id = $id
OPTIONAL MATCH (f:Figure)
WHERE a.id IN f.assumptions
WITH a, collect(f.id) AS figures
OPTIONAL MATCH (:Entity)-[r]->(:Entity)
WHERE a.id IN r.assumptions
WITH a, figures, collect(r.id) AS relations
OPTIONAL MATCH (e:Entity)
WHERE a.id IN e.assumptions
WITH a, figures, relations, collect(e.id) AS entities
RETURN a.id AS assumption, a.statement AS statement, a.reasoning AS reasoning,
       a.sources AS sources, size(entities) + size(relations) + size(figures) AS dependents,
       entities, relations, figures
ORDER BY dependents DESC, assumption
