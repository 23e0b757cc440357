// One page of memberships: the persons after $after in id order, with everything they hold.
MATCH (p:Person)
WHERE p.id > $after
WITH p ORDER BY p.id LIMIT $limit
MATCH (p)-[h:HAS]->(i:Identifier)
RETURN collect({key: i.key, person: p.id, shared: h.shared, confidence: h.confidence,
                first_us: h.firstSeen.epochSeconds * 1000000 + h.firstSeen.microsecond,
                last_us: h.lastSeen.epochSeconds * 1000000 + h.lastSeen.microsecond,
                since_us: p.since.epochSeconds * 1000000 + p.since.microsecond,
                linked: h.linked}) AS rows,
       max(p.id) AS last
