// The shortest chain of links between two identifiers, preferring merged links.
MATCH (a:Identifier {key: $a}), (b:Identifier {key: $b})
OPTIONAL MATCH merged = shortestPath((a)-[:LINK*..12]-(b))
WHERE all(l IN relationships(merged) WHERE l.merged)
OPTIONAL MATCH anyPath = shortestPath((a)-[:LINK*..12]-(b))
WITH coalesce(merged, anyPath) AS path, merged IS NOT NULL AS joined
RETURN joined,
  [l IN CASE WHEN path IS NULL THEN [] ELSE relationships(path) END |
   {a: startNode(l).key, b: endNode(l).key, kind: l.kind, strength: l.strength,
    count: l.count, first: l.firstSeen, last: l.lastSeen, cutAt: l.cutAt, merged: l.merged,
    evidence: l.evidence, refusal: l.refusal}] AS links
