// name: wipe
// purpose: Delete up to $limit of labournet's nodes with their relationships; run until it returns 0 (Neo4j; FalkorDB deletes the whole graph at once).
// param: limit (integer, default 10000): nodes per transaction
// mode: write
MATCH (n)
WHERE n:Entity OR n:Source OR n:Assumption OR n:Figure OR n:Dataset OR n:AnalysisRun
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
