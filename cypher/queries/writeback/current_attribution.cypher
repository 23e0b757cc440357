// Who each of $ids is attributed to now, collected in one record.
UNWIND $ids AS id
MATCH (e:Event {id: id})-[:ATTRIBUTED_TO]->(p:Person)
RETURN collect({event: id, person: p.id}) AS rows
