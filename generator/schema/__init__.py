"""Stage 1, the schema model: load the schemas into a catalog, read it as of a day, check it,
and validate records against it (Python's validator; the browser's twin is in offline/)."""
