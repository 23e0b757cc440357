// One backlog resolver at a time across every process: each resolving transaction write-locks
// this node (cypher/schema/010_backlog) first and holds it until it commits, so two never
// resolve the same pending events side by side.
MATCH (l:Lock {name: 'backlog'})
SET l._lock = true
REMOVE l._lock
