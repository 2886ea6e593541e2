// name: load_complete
// purpose: Mark the load recorded by load_dataset complete: every batch of it was written.
// param: finished (string, required): when the load finished (UTC, ISO 8601)
// mode: write
MATCH (d:Dataset {id: 'dataset'})
SET d.load_complete = true, d.load_finished = $finished
