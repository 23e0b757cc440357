// writeback/attribution for rebuild: rows grouped by person ({person, events}), so each
// person is looked up once, and CREATE instead of MERGE: rebuild sends only pairs missing
// from the timeline it read in the same transaction, under the resolver lock. The person and
// the instant ride on the relationship, as in writeback/attribution: the timeline index
// (cypher/schema/008_timeline.cypher) finds an entry by them.
UNWIND $rows AS row
MATCH (p:Person {id: row.person})
UNWIND row.events AS id
MATCH (e:Event {id: id})
CREATE (e)-[:ATTRIBUTED_TO {person: p.id, at: e.at}]->(p)
