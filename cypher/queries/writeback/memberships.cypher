// HAS edges: owned (shared = false) or listed (shared = true) with confidence and period;
// `linked` says whether links back the period (else it is the identifier's own sightings,
// which the ingest fast path widens). Instants in microseconds since the epoch.
// Instants are floored to whole seconds first: Cypher's / and % truncate toward zero, and
// a negative nanosecond (an instant before 1970 with a fraction) is invalid.
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (i:Identifier {key: row.key})
MERGE (p)-[h:HAS]->(i)
SET h.shared = row.shared, h.confidence = row.confidence,
    h.firstSeen = datetime({
        epochSeconds: (row.first_us - (row.first_us % 1000000 + 1000000) % 1000000) / 1000000,
        nanosecond: (row.first_us % 1000000 + 1000000) % 1000000 * 1000}),
    h.lastSeen = datetime({
        epochSeconds: (row.last_us - (row.last_us % 1000000 + 1000000) % 1000000) / 1000000,
        nanosecond: (row.last_us % 1000000 + 1000000) % 1000000 * 1000}),
    h.linked = row.linked
