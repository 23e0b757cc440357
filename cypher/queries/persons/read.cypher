// Persons by id; a merged-away id answers with its survivor. One row per requested id.
// Instants as microseconds since the epoch: hydrating the driver's DateTime was a fifth of a
// loaded server's time.
UNWIND range(0, size($ids) - 1) AS n
OPTIONAL MATCH (direct:Person {id: $ids[n]})
OPTIONAL MATCH (:PersonAlias {id: $ids[n]})-[:ALIAS_OF]->(aliased:Person)
WITH n, coalesce(direct, aliased) AS p
OPTIONAL MATCH (p)-[h:HAS]->(i:Identifier)
WITH n, p, collect(CASE WHEN i IS NULL THEN NULL ELSE {type: i.type, value: i.value,
     confidence: h.confidence, shared: h.shared,
     first_us: h.firstSeen.epochSeconds * 1000000 + h.firstSeen.microsecond,
     last_us: h.lastSeen.epochSeconds * 1000000 + h.lastSeen.microsecond} END) AS identifiers
OPTIONAL MATCH (a:PersonAlias)-[:ALIAS_OF]->(p)
RETURN n, p.id AS id, identifiers, collect(a.id) AS merged
ORDER BY n
