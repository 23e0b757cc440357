// Every event with its identifiers (what resolution needs, no attributes), for a rebuild.
MATCH (e:Event)
RETURN e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, e.keys AS keys
