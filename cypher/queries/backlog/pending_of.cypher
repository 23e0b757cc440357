// Those of $ids still awaiting resolution (the resolver's search for an event that fails).
UNWIND $ids AS id
MATCH (e:Event {id: id})
WHERE e.pending = true
RETURN collect(e.id) AS ids
