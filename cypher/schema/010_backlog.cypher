// Events stored by an asynchronous ingest and not resolved yet carry `pending: true` (the flag
// is removed when they are resolved): the background resolver finds them through this index,
// and takes the backlog lock (made here, before any resolver runs) so one resolves at a time.
CREATE INDEX event_pending IF NOT EXISTS FOR (e:Event) ON (e.pending);
MERGE (l:Lock {name: 'backlog'})
