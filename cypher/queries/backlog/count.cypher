// How many events await resolution.
MATCH (e:Event)
WHERE e.pending = true
RETURN count(e) AS n
