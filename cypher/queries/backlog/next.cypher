// Up to $limit events awaiting resolution (any order will do: resolution does not depend on
// it), their ids collected in one record.
MATCH (e:Event)
WHERE e.pending = true
WITH e LIMIT $limit
RETURN collect(e.id) AS ids
