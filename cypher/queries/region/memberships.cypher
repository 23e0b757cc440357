// Current persons of $keys: who owns or lists each, with the membership's figures and the
// person's age (instants in microseconds since the epoch), collected in one record.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})<-[h:HAS]-(p:Person)
RETURN collect({key: key, person: p.id, shared: h.shared, confidence: h.confidence,
                first_us: h.firstSeen.epochSeconds * 1000000 + h.firstSeen.microsecond,
                last_us: h.lastSeen.epochSeconds * 1000000 + h.lastSeen.microsecond,
                since_us: p.since.epochSeconds * 1000000 + p.since.microsecond,
                linked: h.linked}) AS rows
