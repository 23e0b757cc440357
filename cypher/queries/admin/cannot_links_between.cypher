// Active cannot-links with one side in $a and the other in $b, with their members by side
// (a merge that overrides one narrows it to what the merge does not join).
MATCH (c:Constraint {kind: 'CANNOT_LINK', active: true})-[s:SIDE]->(i:Identifier)
WITH c, collect({side: s.side, key: i.key}) AS members
WHERE any(m IN members WHERE m.key IN $a AND any(n IN members WHERE n.key IN $b AND n.side <> m.side))
RETURN c.id AS id, coalesce(c.reason, '') AS reason, c.audit AS audit,
       [[m IN members WHERE m.side = 0 | m.key], [m IN members WHERE m.side = 1 | m.key]] AS sides
