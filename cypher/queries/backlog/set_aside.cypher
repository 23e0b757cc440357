// A pending event whose resolution fails on its own leaves the backlog, so that it does not
// hold up the events behind it; it stays stored, with the reason, until
// `graph-identity backlog --retry` puts it back.
MATCH (e:Event {id: $id})
WHERE e.pending = true
REMOVE e.pending
SET e.unresolved = $reason
