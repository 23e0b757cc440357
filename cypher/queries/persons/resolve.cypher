// Who an identifier stands for, as ids: each person listing it with its confidence and the
// period of its evidence (microseconds since the epoch), best first. The person's own fields
// are read only when a query selects them (persons/read, batched per request). A carrier's
// segments come only when it is shared: they pick the person of a moment, and an owned
// identifier's owner is simply the first row.
MATCH (i:Identifier {key: $key})
OPTIONAL MATCH (p:Person)-[h:HAS]->(i)
WITH i, p, h ORDER BY h.confidence DESC, p.id
RETURN i.shared AS shared, CASE WHEN i.shared THEN i.segments END AS segments,
       [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE {person: p.id, confidence: h.confidence,
               first_us: h.firstSeen.epochSeconds * 1000000 + h.firstSeen.microsecond,
               last_us: h.lastSeen.epochSeconds * 1000000 + h.lastSeen.microsecond} END)
        WHERE x IS NOT NULL] AS persons
