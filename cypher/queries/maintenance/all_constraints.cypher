MATCH (c:Constraint {active: true})-[s:SIDE]->(m:Identifier)
RETURN c.id AS id, c.kind AS kind, s.side AS side, collect(m.key) AS keys
