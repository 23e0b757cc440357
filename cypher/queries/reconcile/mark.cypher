// Mark the hubs a write-locked region stopped at: their regions were resolved with the hubs held
// fixed, which can differ from a rebuild until store/reconcile.py recomputes them whole. Only
// unmarked hubs are written, so a hub that stays marked costs a read per batch, not a write.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
WHERE i.reconcile IS NULL
SET i.reconcile = true
