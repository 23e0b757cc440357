// LOGIN and LOGOUT events on the given carriers (what their segments are cut from), one row
// per (carrier, event id).
MATCH (c:Identifier)<-[:OBSERVED]-(e:Event)
WHERE c.key IN $keys AND e.type IN ['LOGIN', 'LOGOUT']
RETURN c.key AS carrier, e.id AS id
