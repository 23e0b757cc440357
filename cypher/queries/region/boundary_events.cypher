// Ids of the events that link a shared (boundary) identifier to something else: enough to
// know whom it is listed on and when each used it, without its every lone touchpoint.
MATCH (b:Identifier)<-[:OBSERVED]-(e:Event)
WHERE b.key IN $keys AND size(e.keys) > 1
RETURN collect(DISTINCT e.id) AS ids
