// Baseline only (graph-identity bench): the same Event and Identifier nodes and OBSERVED
// edges the store writes, in one UNWIND per batch, with no resolution at all.
UNWIND $rows AS row
CREATE (e:Event {id: row.id, at: row.at, type: row.type, channel: row.channel,
                 attributes: row.attributes, verified: row.verified,
                 keys: [ident IN row.identifiers | ident.key]})
WITH e, row
UNWIND row.identifiers AS ident
MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.type = ident.type, i.value = ident.value, i.shared = false,
                i.firstSeen = row.at, i.lastSeen = row.at
  ON MATCH SET i.firstSeen = CASE WHEN row.at < i.firstSeen THEN row.at ELSE i.firstSeen END,
               i.lastSeen = CASE WHEN row.at > i.lastSeen THEN row.at ELSE i.lastSeen END
SET i:$(ident.label)
CREATE (e)-[:OBSERVED]->(i)
