// Marks freshly stored events as awaiting resolution (asynchronous ingest).
UNWIND $ids AS id
MATCH (e:Event {id: id})
SET e.pending = true
