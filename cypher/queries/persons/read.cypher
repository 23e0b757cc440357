// Persons by id; a merged-away id answers with its survivor. One row per requested id.
// Instants as microseconds since the epoch: hydrating the driver's DateTime was a fifth of a
// loaded server's time.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
UNWIND range(0, size($ids) - 1) AS n
OPTIONAL MATCH (direct:Person {id: $ids[n]})
OPTIONAL MATCH (:PersonAlias {id: $ids[n]})-[:ALIAS_OF]->(aliased:Person)
WITH n, coalesce(direct, aliased) AS p
OPTIONAL MATCH (p)-[h:HAS]->(i:Identifier)
WITH n, p, collect(CASE WHEN i IS NULL THEN NULL ELSE {type: i.type, value: i.value,
     confidence: h.confidence, shared: h.shared,
     first_us: h.firstSeen.epochMillis * 1000 + h.firstSeen.microsecond % 1000,
     last_us: h.lastSeen.epochMillis * 1000 + h.lastSeen.microsecond % 1000} END) AS identifiers
OPTIONAL MATCH (a:PersonAlias)-[:ALIAS_OF]->(p)
RETURN n, p.id AS id, identifiers, collect(a.id) AS merged
ORDER BY n
