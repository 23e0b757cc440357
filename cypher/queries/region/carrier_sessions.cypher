// LOGIN and LOGOUT events on the given carriers (what their segments are cut from), as
// (carrier, event id) pairs collected in one record.
MATCH (c:Identifier)<-[:OBSERVED]-(e:Event)
WHERE c.key IN $keys AND e.type IN ['LOGIN', 'LOGOUT']
RETURN collect({carrier: c.key, id: e.id}) AS rows
