// The ids of every event observing one of $keys (the events come from the cache or
// region/events_by_id).
MATCH (i:Identifier)<-[:OBSERVED]-(e:Event)
WHERE i.key IN $keys
RETURN collect(DISTINCT e.id) AS ids
