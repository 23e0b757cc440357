UNWIND $rows AS row
MATCH (i:Identifier {key: row.key})
SET i.shared = row.shared, i.segments = row.segments
