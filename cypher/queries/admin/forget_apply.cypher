// Erase: events, identifiers, the person and its aliases; leave only keyed hashes (HMAC)
// so a replayed event or identifier cannot bring them back.
UNWIND $hashes AS h
MERGE (:Forgotten {key: h})
WITH count(*) AS _
OPTIONAL MATCH (e:Event) WHERE e.id IN $events
DETACH DELETE e
WITH count(*) AS _
OPTIONAL MATCH (i:Identifier) WHERE i.key IN $keys
DETACH DELETE i
WITH count(*) AS _
MATCH (p:Person {id: $id})
OPTIONAL MATCH (a:PersonAlias)-[:ALIAS_OF]->(p)
DETACH DELETE a, p
