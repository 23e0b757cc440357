// An identifier with every person it is on, each person in full (one round trip).
MATCH (i:Identifier {key: $key})
OPTIONAL MATCH (p:Person)-[h:HAS]->(i)
CALL (p) {
  OPTIONAL MATCH (p)-[h2:HAS]->(j:Identifier)
  RETURN [x IN collect({type: j.type, value: j.value, confidence: h2.confidence,
          shared: h2.shared, first: h2.firstSeen, last: h2.lastSeen}) WHERE x.type IS NOT NULL]
         AS identifiers
}
CALL (p) {
  OPTIONAL MATCH (a:PersonAlias)-[:ALIAS_OF]->(p)
  RETURN collect(a.id) AS merged
}
WITH i, p, h, identifiers, merged ORDER BY h.confidence DESC, p.id
RETURN i.shared AS shared, i.segments AS segments, i.lastSeen AS lastSeen,
       [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE {person: p.id, confidence: h.confidence,
               shared: h.shared, first: h.firstSeen, last: h.lastSeen,
               identifiers: identifiers, merged: merged} END) WHERE x IS NOT NULL] AS persons
