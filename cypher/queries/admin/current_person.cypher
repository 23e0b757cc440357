// The live person behind an id (following a merge alias) and the identifiers it owns.
OPTIONAL MATCH (direct:Person {id: $id})
OPTIONAL MATCH (:PersonAlias {id: $id})-[:ALIAS_OF]->(aliased:Person)
WITH coalesce(direct, aliased) AS p
WHERE p IS NOT NULL
OPTIONAL MATCH (p)-[h:HAS]->(i:Identifier)
RETURN p.id AS id, p.since AS since,
       [x IN collect({key: i.key, shared: h.shared}) WHERE x.key IS NOT NULL] AS identifiers
