// What resolution needs of each event: no channel, no attributes.
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, e.keys AS keys
