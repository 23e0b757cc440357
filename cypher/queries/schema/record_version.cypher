// Which schema files were applied, with a hash of their statements (see store/schema.py).
MERGE (s:SchemaVersion {name: $name})
SET s.files = $files, s.hash = $hash, s.statements = $statements, s.appliedAt = datetime()
