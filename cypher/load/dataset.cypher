// name: load_dataset
// purpose: Record the dataset the graph holds (its name and schema) and that a load of it has started, so that pull() can rebuild it and knows whether the load finished.
// param: name (string, required): the dataset's name
// param: schema (string, required): the dataset's schema, as the YAML text of a schema.yaml file
// param: started (string, required): when the load started (UTC, ISO 8601)
// param: expected (list, required): how many sources, assumptions, entities, relations and figures the load writes, in that order
// mode: write
// note: load_complete stays false until cypher/load/complete.cypher runs after the last batch, so a load that was killed or failed half-way is known as such.
MERGE (d:Dataset {id: 'dataset'})
SET d.name = $name, d.schema = $schema, d.load_complete = false, d.load_started = $started,
    d.load_expected = $expected, d.load_finished = null
