// What the ingest fast path needs of each identifier in $keys: whether it is shared, its
// carrier segments (JSON) and its memberships with their periods (microseconds since the
// epoch) and whether links back them; collected in one record.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
OPTIONAL MATCH (i)<-[h:HAS]-(p:Person)
WITH i, collect({person: p.id, shared: h.shared, linked: h.linked,
                 first_us: h.firstSeen.epochSeconds * 1000000 + h.firstSeen.microsecond,
                 last_us: h.lastSeen.epochSeconds * 1000000 + h.lastSeen.microsecond}) AS held
RETURN collect({key: i.key, shared: coalesce(i.shared, false), segments: i.segments,
                memberships: [m IN held WHERE m.person IS NOT NULL]}) AS rows
