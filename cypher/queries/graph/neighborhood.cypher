// The identifiers within $hops links of $key (at most $max), with the links among them.
MATCH (start:Identifier {key: $key})
OPTIONAL MATCH path = (start)-[:LINK*1..4]-(other:Identifier)
WHERE length(path) <= $hops
WITH start, collect(DISTINCT other)[..$max] AS others
WITH [start] + others AS nodes
UNWIND nodes AS n
OPTIONAL MATCH (p:Person)-[:HAS]->(n)
WITH nodes, n, collect(p.id) AS persons
WITH nodes, collect({key: n.key, type: n.type, value: n.value, shared: n.shared,
     first: n.firstSeen, last: n.lastSeen, persons: persons}) AS rows
UNWIND nodes AS a
MATCH (a)-[l:LINK]->(b) WHERE b IN nodes
RETURN rows, collect({a: a.key, b: b.key, kind: l.kind, strength: l.strength, count: l.count,
       first: l.firstSeen, last: l.lastSeen, cutAt: l.cutAt, merged: l.merged}) AS links
