// One row per new event; identifiers are MERGEd by key (unique constraint), so concurrent
// writers never create duplicates. Each identifier's type label (Cookie, Device, ...) comes
// from the allowlist in graph_identity.store.cypher and is set when the node is created.
// Instants arrive as microseconds since the epoch (packing Python datetimes costs more than
// the write; see records.epoch_us).
// Instants are floored to whole seconds first: Cypher's / and % truncate toward zero, and
// a negative nanosecond (an instant before 1970 with a fraction) is invalid.
UNWIND $rows AS row
WITH row, datetime({
    epochSeconds: (row.at_us - (row.at_us % 1000000 + 1000000) % 1000000) / 1000000,
    nanosecond: (row.at_us % 1000000 + 1000000) % 1000000 * 1000}) AS at
CREATE (e:Event {id: row.id, at: at, type: row.type, channel: row.channel,
                 attributes: row.attributes, verified: row.verified,
                 keys: [ident IN row.identifiers | ident.key]})
WITH e, row, at
UNWIND row.identifiers AS ident
MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.type = ident.type, i.value = ident.value, i.shared = false,
                i.firstSeen = at, i.lastSeen = at, i:$(ident.label)
  ON MATCH SET i.firstSeen = CASE WHEN at < i.firstSeen THEN at ELSE i.firstSeen END,
               i.lastSeen = CASE WHEN at > i.lastSeen THEN at ELSE i.lastSeen END
CREATE (e)-[:OBSERVED]->(i)
