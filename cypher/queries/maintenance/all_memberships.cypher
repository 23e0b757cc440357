MATCH (p:Person)-[h:HAS]->(i:Identifier)
RETURN i.key AS key, p.id AS person, h.shared AS shared, p.since AS since
