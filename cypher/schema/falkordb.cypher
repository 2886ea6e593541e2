// name: schema_falkordb
// title: FalkorDB indexes
// purpose: The indexes FalkorDB needs so that loading (MERGE on id) and look-ups by id stay fast.
// mode: schema
// servers: falkordb
// note: A statement naming {{label}} runs once per entity label of the schema, one naming {{type}} once per relationship type; the names are checked before they are filled in.
// note: FalkorDB has no IF NOT EXISTS: on a second run each statement fails with "already indexed", which the loader expects and ignores.
// note: Uniqueness rests on MERGE, one query per batch. The index on each relationship type's id is what makes it hold under concurrent loads: measured on FalkorDB 4.16, two loads MERGEing the same relationships at once duplicated them every time without it, never with it (tests/store/test_reliability.py). It also costs about a fifth of the relation loading speed. Unique constraints exist in FalkorDB only as a command (GRAPH.CONSTRAINT), not in Cypher.
// note: A first load into an empty graph (Store.load under the graph's load lock: labournet.store.falkordb.LoadLock) CREATEs instead of MERGEing, with every statement here but the relationship ones run first; it runs those after the data, waits until FalkorDB has built them (it builds indexes in the background), and only then lets other loads, which MERGE, at the graph. A first load into a new graph by GRAPH.BULK (labournet.store.bulk) runs them all before the data instead: the server adds each bulk command's relationships to the indexes as it goes, which costs the load less than building them after it (measured on FalkorDB 4.16, 50,000 entities and 250,000 relations), and waits for them the same way.
CREATE INDEX FOR (n:Entity) ON (n.id);
CREATE INDEX FOR (n:Source) ON (n.id);
CREATE INDEX FOR (n:Assumption) ON (n.id);
CREATE INDEX FOR (n:Figure) ON (n.id, n.subject);
CREATE INDEX FOR (n:Dataset) ON (n.id);
CREATE INDEX FOR (n:AnalysisRun) ON (n.id);
CREATE INDEX FOR (n:{{label}}) ON (n.id);
CREATE INDEX FOR ()-[r:{{type}}]-() ON (r.id);
