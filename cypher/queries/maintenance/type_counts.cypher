// Owned identifiers per person and type over $limits (a map type -> limit); persons an admin
// merged by hand (an active must-link) may exceed them on purpose.
MATCH (p:Person)-[:HAS {shared: false}]->(i:Identifier)
WHERE NOT EXISTS {
  (p)-[:HAS]->(:Identifier)<-[:SIDE]-(:Constraint {kind: 'MUST_LINK', active: true})
}
WITH p, i.type AS type, count(*) AS n
WHERE n > $limits[type]
RETURN p.id AS person, type, n
LIMIT 20
