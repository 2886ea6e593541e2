// name: load_dataset
// purpose: Record the dataset the graph holds (its name and schema), so that pull() can rebuild it.
// param: name (string, required): the dataset's name
// param: schema (string, required): the dataset's schema, as the YAML text of a schema.yaml file
// mode: write
MERGE (d:Dataset {id: 'dataset'})
SET d.name = $name, d.schema = $schema
