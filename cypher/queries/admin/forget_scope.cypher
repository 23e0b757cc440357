// What erasing person $id removes: its owned identifiers, the events attributed to it or
// observing those identifiers, and the other identifiers those events touched.
MATCH (p:Person {id: $id})
OPTIONAL MATCH (p)-[:HAS {shared: false}]->(i:Identifier)
WITH p, collect(i) AS owned
OPTIONAL MATCH (a:Event)-[:ATTRIBUTED_TO]->(p)
WITH p, owned, collect(a) AS attributed
UNWIND (CASE WHEN size(owned) = 0 THEN [null] ELSE owned END) AS o
OPTIONAL MATCH (o)<-[:OBSERVED]-(e:Event)
WITH p, owned, attributed, collect(e) AS observing
WITH p, owned, attributed + observing AS events
UNWIND (CASE WHEN size(events) = 0 THEN [null] ELSE events END) AS ev
OPTIONAL MATCH (ev)-[:OBSERVED]->(other:Identifier)
WHERE NOT other IN owned
RETURN [x IN owned | x.key] AS owned,
       [x IN collect(DISTINCT ev) WHERE x IS NOT NULL | x.id] AS events,
       [x IN collect(DISTINCT other) WHERE x IS NOT NULL | x.key] AS neighbours
