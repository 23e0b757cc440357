// Current persons of $keys: who owns or lists each, with the membership's figures and the
// person's age (instants in microseconds since the epoch), collected in one record.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})<-[h:HAS]-(p:Person)
RETURN collect({key: key, person: p.id, shared: h.shared, confidence: h.confidence,
                first_us: h.firstSeen.epochMillis * 1000 + h.firstSeen.microsecond % 1000,
                last_us: h.lastSeen.epochMillis * 1000 + h.lastSeen.microsecond % 1000,
                since_us: p.since.epochMillis * 1000 + p.since.microsecond % 1000,
                linked: h.linked}) AS rows
