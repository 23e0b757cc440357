// The fast path's aggregate updates: a membership whose period is its identifier's own
// sightings (not backed by links) widens to a lone touchpoint's instant, and so does the
// person's age. Rows apply in order, so several touchpoints on one identifier accumulate.
UNWIND $rows AS row
MATCH (p:Person {id: row.person})-[h:HAS]->(:Identifier {key: row.key})
SET h.firstSeen = CASE WHEN row.at < h.firstSeen THEN row.at ELSE h.firstSeen END,
    h.lastSeen = CASE WHEN row.at > h.lastSeen THEN row.at ELSE h.lastSeen END,
    p.since = CASE WHEN row.at < p.since THEN row.at ELSE p.since END
