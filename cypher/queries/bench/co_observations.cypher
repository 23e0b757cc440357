// Every event's co-observed identifier keys: the edges the union-find baseline joins.
MATCH (e:Event)-[:OBSERVED]->(i:Identifier)
RETURN e.id AS event, collect(i.key) AS keys
