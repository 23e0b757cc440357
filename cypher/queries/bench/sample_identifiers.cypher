// Identifiers owned or listed by a person, for the resolve benchmark (a spread sample).
MATCH (p:Person)-[:HAS]->(i:Identifier)
WITH DISTINCT i
RETURN i.key AS key, i.type AS type, i.value AS value
ORDER BY i.key
LIMIT $limit
