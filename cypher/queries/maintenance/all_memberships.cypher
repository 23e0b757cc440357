// One page of memberships: the persons after $after in id order, with everything they hold.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
MATCH (p:Person)
WHERE p.id > $after
WITH p ORDER BY p.id LIMIT $limit
MATCH (p)-[h:HAS]->(i:Identifier)
RETURN collect({key: i.key, person: p.id, shared: h.shared, confidence: h.confidence,
                first_us: h.firstSeen.epochMillis * 1000 + h.firstSeen.microsecond % 1000,
                last_us: h.lastSeen.epochMillis * 1000 + h.lastSeen.microsecond % 1000,
                since_us: p.since.epochMillis * 1000 + p.since.microsecond % 1000,
                linked: h.linked}) AS rows,
       max(p.id) AS last
