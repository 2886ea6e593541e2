// name: schema_neo4j
// title: Neo4j constraints and indexes
// purpose: Uniqueness constraints on every id (which also index it), so that MERGE is safe under concurrent loads, and indexes for look-ups.
// mode: schema
// servers: neo4j
// note: A statement naming {{label}} runs once per entity label of the schema, one naming {{type}} once per relationship type; the names are checked before they are filled in.
// note: Relationship uniqueness constraints need Neo4j 5.7 or later (Community Edition has them).
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT assumption_id IF NOT EXISTS FOR (n:Assumption) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT figure_id IF NOT EXISTS FOR (n:Figure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT analysis_run_id IF NOT EXISTS FOR (n:AnalysisRun) REQUIRE n.id IS UNIQUE;
CREATE INDEX figure_subject IF NOT EXISTS FOR (n:Figure) ON (n.subject);
CREATE INDEX label_{{label}}_id IF NOT EXISTS FOR (n:{{label}}) ON (n.id);
CREATE CONSTRAINT relation_{{type}}_id IF NOT EXISTS FOR ()-[r:{{type}}]-() REQUIRE r.id IS UNIQUE;
