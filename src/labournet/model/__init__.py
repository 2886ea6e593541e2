"""The data model: the schema, the records of a dataset, and figures derived by formulas."""
