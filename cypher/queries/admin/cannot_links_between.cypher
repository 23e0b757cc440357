// Active cannot-links with one side in $a and the other in $b.
MATCH (c:Constraint {kind: 'CANNOT_LINK', active: true})-[s:SIDE]->(i:Identifier)
WITH c, collect({side: s.side, key: i.key}) AS members
WHERE any(m IN members WHERE m.key IN $a AND any(n IN members WHERE n.key IN $b AND n.side <> m.side))
RETURN collect(c.id) AS ids
