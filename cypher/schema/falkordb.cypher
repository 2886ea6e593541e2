// name: schema_falkordb
// title: FalkorDB indexes
// purpose: The indexes FalkorDB needs so that loading (MERGE on id) and look-ups by id stay fast.
// mode: schema
// servers: falkordb
// note: A statement naming {{label}} runs once per entity label of the schema; the names are checked before they are filled in.
// note: No index on relationship ids: every statement that finds a relationship by id starts from its source node (indexed), and maintaining an index per relationship type made loading about a fifth slower.
// note: FalkorDB has no IF NOT EXISTS: on a second run each statement fails with "already indexed", which the loader expects and ignores.
// note: Uniqueness rests on MERGE: FalkorDB runs the write queries on one graph one at a time and every batch is a single query, so two loads of the same dataset cannot create one id twice. Unique constraints exist in FalkorDB only as a command (GRAPH.CONSTRAINT), not in Cypher, and are not needed.
CREATE INDEX FOR (n:Entity) ON (n.id);
CREATE INDEX FOR (n:Source) ON (n.id);
CREATE INDEX FOR (n:Assumption) ON (n.id);
CREATE INDEX FOR (n:Figure) ON (n.id, n.subject);
CREATE INDEX FOR (n:Dataset) ON (n.id);
CREATE INDEX FOR (n:AnalysisRun) ON (n.id);
CREATE INDEX FOR (n:{{label}}) ON (n.id);
