// Every membership (for tests comparing the stored partition with the in-memory one).
MATCH (p:Person)-[h:HAS]->(i:Identifier)
RETURN p.id AS person, h.shared AS shared, i.key AS key
