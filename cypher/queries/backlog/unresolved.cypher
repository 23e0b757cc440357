// Events the backlog resolver set aside because their resolution failed, with a few ids.
MATCH (e:Event)
WHERE e.unresolved IS NOT NULL
RETURN count(e) AS n, collect(e.id)[..5] AS sample
