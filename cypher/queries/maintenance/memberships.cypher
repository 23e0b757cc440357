// writeback/memberships for rebuild: instants come as microseconds since the epoch, because
// the driver turns each Python datetime into a Bolt one at some hundred microseconds (a
// profile of rebuild at 49k identifiers spent more time there than in resolution).
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (i:Identifier {key: row.key})
MERGE (p)-[h:HAS]->(i)
SET h.shared = row.shared, h.confidence = row.confidence,
    h.firstSeen = datetime({epochSeconds: row.first_us / 1000000,
                            nanosecond: row.first_us % 1000000 * 1000}),
    h.lastSeen = datetime({epochSeconds: row.last_us / 1000000,
                           nanosecond: row.last_us % 1000000 * 1000})
