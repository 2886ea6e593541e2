// name: write_analysis_run
// purpose: Record an analysis run (when, which score properties, the settings) as an AnalysisRun node.
// param: id (string, required): the run's id
// param: properties (map, required): at (ISO time), prefix, columns, rows, and setting_* values, all scalars or lists of scalars
// mode: write
MERGE (run:AnalysisRun {id: $id})
SET run += $properties
