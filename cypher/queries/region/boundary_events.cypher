// Events that link a shared (boundary) identifier to something else: enough to know whom it
// is listed on and when each of them used it, without its every lone touchpoint.
MATCH (b:Identifier)<-[:OBSERVED]-(e:Event)-[:OBSERVED]->(:Identifier)
WHERE b.key IN $keys
WITH DISTINCT e
MATCH (e)-[:OBSERVED]->(j:Identifier)
RETURN e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, collect(j.key) AS keys
