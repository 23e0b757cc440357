// Events that link a shared (boundary) identifier to something else: enough to know whom it
// is listed on and when each of them used it, without its every lone touchpoint.
MATCH (b:Identifier)<-[:OBSERVED]-(e:Event)
WHERE b.key IN $keys AND size(e.keys) > 1
RETURN DISTINCT e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, e.keys AS keys
