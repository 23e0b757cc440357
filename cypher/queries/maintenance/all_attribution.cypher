// One page of timeline entries: the events after $after in id order with their persons.
MATCH (e:Event)
WHERE e.id > $after
WITH e ORDER BY e.id LIMIT $limit
OPTIONAL MATCH (e)-[:ATTRIBUTED_TO]->(p:Person)
RETURN [x IN collect({event: e.id, person: p.id}) WHERE x.person IS NOT NULL] AS rows,
       max(e.id) AS last
