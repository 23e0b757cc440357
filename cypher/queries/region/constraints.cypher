// Active admin constraints touching $keys, with all their members by side.
MATCH (i:Identifier)<-[:SIDE]-(c:Constraint {active: true})
WHERE i.key IN $keys
WITH DISTINCT c
MATCH (c)-[s:SIDE]->(m:Identifier)
RETURN c.id AS id, c.kind AS kind, s.side AS side, collect(m.key) AS keys
