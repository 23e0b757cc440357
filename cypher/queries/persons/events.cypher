// A person's timeline, newest first, keyset-paginated on (at, id).
MATCH (p:Person {id: $person})<-[:ATTRIBUTED_TO]-(e:Event)
WHERE $after_at IS NULL OR e.at < $after_at OR (e.at = $after_at AND e.id < $after_id)
WITH e ORDER BY e.at DESC, e.id DESC LIMIT $limit
MATCH (e)-[:OBSERVED]->(i:Identifier)
WITH e, collect(i.key) AS keys
RETURN e.id AS id, e.at AS at, e.type AS type, e.channel AS channel,
       e.attributes AS attributes, e.verified AS verified, keys
ORDER BY e.at DESC, e.id DESC
