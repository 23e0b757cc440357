// A rebuild makes every region exact: it clears every mark before it reads the graph, so a hub
// an ingest marks while it runs stays marked (found through the index on reconcile).
MATCH (i:Identifier)
WHERE i.reconcile = true
REMOVE i.reconcile
