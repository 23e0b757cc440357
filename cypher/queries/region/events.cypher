// Every event observing one of $keys, with all of its identifiers (kept on the event as
// `keys`, so no second expansion is needed).
MATCH (i:Identifier)<-[:OBSERVED]-(e:Event)
WHERE i.key IN $keys
RETURN DISTINCT e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, e.keys AS keys
