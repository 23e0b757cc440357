// Every event with its identifiers (what resolution needs, no attributes), for a rebuild.
MATCH (e:Event)-[:OBSERVED]->(i:Identifier)
RETURN e.id AS id, e.at AS at, e.type AS type, e.verified AS verified, collect(i.key) AS keys
