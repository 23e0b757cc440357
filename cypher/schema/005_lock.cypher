// The one lock every resolving write transaction takes first (see cypher/queries/ingest/lock).
// Created here, before any writer runs, so concurrent first writers cannot each make their own.
CREATE CONSTRAINT lock_name IF NOT EXISTS FOR (l:Lock) REQUIRE l.name IS UNIQUE;
MERGE (l:Lock {name: 'resolver'})
