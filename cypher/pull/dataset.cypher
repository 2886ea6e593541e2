// name: pull_dataset
// purpose: The name and schema of the dataset the graph holds, and the record of its last load.
// mode: read
// note: load_expected counts the sources, assumptions, entities, relations and figures the last load wrote; load_complete is false while a load runs, or when one stopped before its end.
MATCH (d:Dataset {id: 'dataset'})
RETURN d.name AS name, d.schema AS schema, d.load_complete AS load_complete,
       d.load_started AS load_started, d.load_finished AS load_finished,
       d.load_expected AS load_expected
