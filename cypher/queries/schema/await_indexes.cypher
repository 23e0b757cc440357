// Indexes and constraints are built in the background; wait until all are online.
CALL db.awaitIndexes($seconds)
