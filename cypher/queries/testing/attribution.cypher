// Every event and the persons whose timeline it is on.
MATCH (e:Event)
OPTIONAL MATCH (e)-[:ATTRIBUTED_TO]->(p:Person)
RETURN e.id AS event, collect(p.id) AS persons
