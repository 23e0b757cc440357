UNWIND $rows AS row
MATCH (e:Event {id: row.event}), (p:Person {id: row.person})
MERGE (e)-[:ATTRIBUTED_TO]->(p)
