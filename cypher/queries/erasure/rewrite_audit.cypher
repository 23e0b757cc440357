// Replace scrubbed audit details and reasons; who, when, the action and person ids stay.
UNWIND $rows AS row
MATCH (a:Audit {id: row.id})
SET a.details = row.details, a.reason = row.reason
