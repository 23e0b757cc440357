// One row per new event; identifiers are MERGEd by key (unique constraint), so concurrent
// writers never create duplicates. Each identifier's type label (Cookie, Device, ...) comes
// from the allowlist in graph_identity.store.cypher.
UNWIND $rows AS row
CREATE (e:Event {id: row.id, at: row.at, type: row.type, channel: row.channel,
                 attributes: row.attributes, verified: row.verified,
                 keys: [ident IN row.identifiers | ident.key]})
WITH e, row
UNWIND row.identifiers AS ident
MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.type = ident.type, i.value = ident.value, i.shared = false,
                i.firstSeen = row.at, i.lastSeen = row.at, i:$(ident.label)
  ON MATCH SET i.firstSeen = CASE WHEN row.at < i.firstSeen THEN row.at ELSE i.firstSeen END,
               i.lastSeen = CASE WHEN row.at > i.lastSeen THEN row.at ELSE i.lastSeen END
CREATE (e)-[:OBSERVED]->(i)
