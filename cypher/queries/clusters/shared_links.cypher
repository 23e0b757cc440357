// Every shared identifier with the persons it is listed on: the edges of the person graph
// that clusters are the connected components of. Shared identifiers are few next to persons,
// so one pass over them is the whole input.
MATCH (i:Identifier {shared: true})<-[:HAS]-(p:Person)
WITH i, collect(p.id) AS persons
WHERE size(persons) >= 2
RETURN i.key AS key, i.type AS type, i.value AS value, i.lastSeen AS lastSeen, persons
