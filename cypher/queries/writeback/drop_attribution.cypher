UNWIND $rows AS row
MATCH (:Event {id: row.event})-[r:ATTRIBUTED_TO]->(:Person {id: row.person})
DELETE r
