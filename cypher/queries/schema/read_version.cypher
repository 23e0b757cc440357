MATCH (s:SchemaVersion {name: $name})
RETURN s.hash AS hash, s.files AS files, s.appliedAt AS appliedAt
