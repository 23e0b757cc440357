// Every event observing one of $keys, with all of its identifiers.
MATCH (i:Identifier)<-[:OBSERVED]-(e:Event)
WHERE i.key IN $keys
WITH DISTINCT e
MATCH (e)-[:OBSERVED]->(j:Identifier)
RETURN e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, collect(j.key) AS keys
