// HAS edges: owned (shared = false) or listed (shared = true) with confidence and period.
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (i:Identifier {key: row.key})
MERGE (p)-[h:HAS]->(i)
SET h.shared = row.shared, h.confidence = row.confidence,
    h.firstSeen = row.first, h.lastSeen = row.last
