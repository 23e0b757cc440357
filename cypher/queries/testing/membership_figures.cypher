// Every membership with its figures and its person's age (tests comparing incremental with
// rebuild beyond who owns what).
MATCH (p:Person)-[h:HAS]->(i:Identifier)
RETURN p.id AS person, i.key AS key, h.shared AS shared, h.confidence AS confidence,
       h.firstSeen AS first, h.lastSeen AS last, h.linked AS linked, p.since AS since
