// Identifiers co-observed with $keys in any event.
MATCH (i:Identifier)<-[:OBSERVED]-(:Event)-[:OBSERVED]->(j:Identifier)
WHERE i.key IN $keys AND NOT j.key IN $keys
RETURN DISTINCT j.key AS key
