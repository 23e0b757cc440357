// What the ingest fast path needs of each identifier in $keys: whether it is shared, its
// carrier segments (JSON) and its memberships with their periods (microseconds since the
// epoch) and whether links back them; collected in one record.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
OPTIONAL MATCH (i)<-[h:HAS]-(p:Person)
WITH i, collect({person: p.id, shared: h.shared, linked: h.linked,
                 first_us: h.firstSeen.epochMillis * 1000 + h.firstSeen.microsecond % 1000,
                 last_us: h.lastSeen.epochMillis * 1000 + h.lastSeen.microsecond % 1000}) AS held
RETURN collect({key: i.key, shared: coalesce(i.shared, false), segments: i.segments,
                memberships: [m IN held WHERE m.person IS NOT NULL]}) AS rows
