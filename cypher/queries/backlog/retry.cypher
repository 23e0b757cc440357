// Every event set aside as unresolved goes back into the backlog; returns how many.
MATCH (e:Event)
WHERE e.unresolved IS NOT NULL
REMOVE e.unresolved
SET e.pending = true
RETURN count(e) AS n
