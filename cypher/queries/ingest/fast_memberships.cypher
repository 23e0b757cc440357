// The fast path's aggregate updates: a membership whose period is its identifier's own
// sightings (not backed by links) widens to a lone touchpoint's instant, and so does the
// person's age. Rows apply in order, so several touchpoints on one identifier accumulate.
// Instants are floored to whole seconds first: Cypher's / and % truncate toward zero, and
// a negative nanosecond (an instant before 1970 with a fraction) is invalid.
UNWIND $rows AS row
WITH row, datetime({
    epochSeconds: (row.at_us - (row.at_us % 1000000 + 1000000) % 1000000) / 1000000,
    nanosecond: (row.at_us % 1000000 + 1000000) % 1000000 * 1000}) AS at
MATCH (p:Person {id: row.person})-[h:HAS]->(:Identifier {key: row.key})
SET h.firstSeen = CASE WHEN at < h.firstSeen THEN at ELSE h.firstSeen END,
    h.lastSeen = CASE WHEN at > h.lastSeen THEN at ELSE h.lastSeen END,
    p.since = CASE WHEN at < p.since THEN at ELSE p.since END
