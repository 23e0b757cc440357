// Serialises resolution: every write transaction takes this one lock first, so two ingests
// touching the same region cannot interleave, and there is one lock order (no deadlocks).
MERGE (l:Lock {name: 'resolver'})
SET l.at = timestamp()
