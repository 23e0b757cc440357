// Identifiers with the persons each is on.
UNWIND $keys AS key
MATCH (n:Identifier {key: key})
OPTIONAL MATCH (p:Person)-[:HAS]->(n)
RETURN n.key AS key, n.type AS type, n.value AS value, n.shared AS shared,
       n.firstSeen AS first, n.lastSeen AS last, collect(p.id) AS persons
