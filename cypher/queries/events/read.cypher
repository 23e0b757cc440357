// One stored event by id with the identifiers it still observes. Erasure deletes an erased
// person's events and identifiers outright, so neither can come back through this read.
MATCH (e:Event {id: $id})
OPTIONAL MATCH (e)-[:OBSERVED]->(i:Identifier)
WITH e, collect(i.key) AS keys
RETURN e.id AS id, e.at AS at, e.type AS type, e.channel AS channel,
       e.attributes AS attributes, e.verified AS verified, keys
