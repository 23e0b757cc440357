// Replace scrubbed constraint reasons; the constraint itself (kind, sides, audit id) stays.
UNWIND $rows AS row
MATCH (c:Constraint {id: row.id})
SET c.reason = row.reason
