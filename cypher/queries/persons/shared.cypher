// Identifiers listed on several persons, most persons first, then most recent.
MATCH (i:Identifier {shared: true})<-[:HAS]-(p:Person)
WHERE ($types IS NULL OR i.type IN $types) AND ($since IS NULL OR i.lastSeen >= $since)
WITH i, collect(p.id) AS persons
WHERE size(persons) >= $min
RETURN i.type AS type, i.value AS value, size(persons) AS count, persons, i.lastSeen AS lastSeen
ORDER BY count DESC, lastSeen DESC, i.key
SKIP $skip LIMIT $limit
