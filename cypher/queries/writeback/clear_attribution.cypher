UNWIND $ids AS id
MATCH (e:Event {id: id})-[r:ATTRIBUTED_TO]->(:Person)
DELETE r
