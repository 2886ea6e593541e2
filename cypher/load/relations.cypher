// name: load_relations
// purpose: Create or update the relations of one kind between entities already loaded.
// param: rows (list, required): one list per relation, laid out as in `row`
// row: [id, kind, source, target, claim, sources, assumptions, load_order, properties]
// mode: write
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
// note: {{type}} is the kind's relationship type from the schema (SENDS_WORKERS, ...).
UNWIND $rows AS row
MATCH (a:Entity {id: row[2]})
MATCH (b:Entity {id: row[3]})
MERGE (a)-[r:{{type}} {id: row[0]}]->(b)
SET r.kind = row[1], r.claim = row[4], r.sources = row[5], r.assumptions = row[6],
    r.load_order = row[7]
SET r += row[8]
