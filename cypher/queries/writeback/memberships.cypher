// HAS edges: owned (shared = false) or listed (shared = true) with confidence and period;
// `linked` says whether links back the period (else it is the identifier's own sightings,
// which the ingest fast path widens).
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (i:Identifier {key: row.key})
MERGE (p)-[h:HAS]->(i)
SET h.shared = row.shared, h.confidence = row.confidence,
    h.firstSeen = row.first, h.lastSeen = row.last, h.linked = row.linked
