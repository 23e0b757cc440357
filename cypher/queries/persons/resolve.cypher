MATCH (i:Identifier {key: $key})
OPTIONAL MATCH (p:Person)-[h:HAS]->(i)
WITH i, p, h ORDER BY h.confidence DESC, p.id
RETURN i.shared AS shared, i.segments AS segments, i.lastSeen AS lastSeen,
       collect(CASE WHEN p IS NULL THEN NULL ELSE {person: p.id, confidence: h.confidence,
               shared: h.shared, first: h.firstSeen, last: h.lastSeen} END) AS persons
