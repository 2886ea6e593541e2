// name: pull_dataset
// purpose: The name and schema of the dataset the graph holds.
// mode: read
MATCH (d:Dataset {id: 'dataset'})
RETURN d.name AS name, d.schema AS schema
