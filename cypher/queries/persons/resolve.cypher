// Who an identifier stands for, as ids: each person listing it with its confidence and the
// period of its evidence (microseconds since the epoch), best first. The person's own fields
// are read only when a query selects them (persons/read, batched per request). A carrier's
// segments come only when it is shared: they pick the person of a moment, and an owned
// identifier's owner is simply the first row.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
MATCH (i:Identifier {key: $key})
OPTIONAL MATCH (p:Person)-[h:HAS]->(i)
WITH i, p, h ORDER BY h.confidence DESC, p.id
RETURN i.shared AS shared, CASE WHEN i.shared THEN i.segments END AS segments,
       [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE {person: p.id, confidence: h.confidence,
               first_us: h.firstSeen.epochMillis * 1000 + h.firstSeen.microsecond % 1000,
               last_us: h.lastSeen.epochMillis * 1000 + h.lastSeen.microsecond % 1000} END)
        WHERE x IS NOT NULL] AS persons
