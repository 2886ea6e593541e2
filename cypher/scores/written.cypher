// name: written_score
// purpose: The analysis runs that wrote a score property, newest first; a query that reads stored scores checks this first, so that it does not answer "no rows" before any analysis was written.
// param: property (string, required, example "pressure_score"): the score property, e.g. pressure_score or score_pagerank
// mode: read
MATCH (run:AnalysisRun)
WHERE $property IN run.properties
RETURN run.id AS id, run.at AS at
ORDER BY at DESC
