// The person and the instant ride on the relationship for the timeline index
// (cypher/schema/006_timeline.cypher); an attribution never changes person, it is replaced.
UNWIND $rows AS row
MATCH (e:Event {id: row.event}), (p:Person {id: row.person})
MERGE (e)-[r:ATTRIBUTED_TO]->(p)
SET r.person = p.id, r.at = e.at
