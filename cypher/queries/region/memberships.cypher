// Current persons of $keys: who owns or lists each, and how old each person is (since, in
// microseconds since the epoch), collected in one record.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})<-[h:HAS]-(p:Person)
RETURN collect({key: key, person: p.id, shared: h.shared,
                since_us: p.since.epochSeconds * 1000000 + p.since.microsecond}) AS rows
