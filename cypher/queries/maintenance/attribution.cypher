// writeback/attribution for rebuild: rows grouped by person ({person, events}), so each
// person is looked up once, and CREATE instead of MERGE: rebuild sends only pairs missing
// from the timeline it read in the same transaction, under the resolver lock.
UNWIND $rows AS row
MATCH (p:Person {id: row.person})
UNWIND row.events AS id
MATCH (e:Event {id: id})
CREATE (e)-[:ATTRIBUTED_TO]->(p)
