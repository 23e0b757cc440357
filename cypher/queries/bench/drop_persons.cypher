// Back to the raw load (rebuild_scale --no-reload): persons, aliases and their edges go, so a
// rebuild can be timed again from nothing. Auto-commit transaction (session.run) only.
MATCH (n) WHERE n:Person OR n:PersonAlias
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
