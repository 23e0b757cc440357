UNWIND $rows AS row
MATCH (a:Identifier {key: row.a}), (b:Identifier {key: row.b})
MERGE (a)-[l:LINK]->(b)
SET l.kind = row.kind, l.strength = row.strength, l.count = row.count,
    l.firstSeen = row.first, l.lastSeen = row.last, l.cutAt = row.cutAt,
    l.merged = row.merged, l.evidence = row.evidence, l.refusal = row.refusal
