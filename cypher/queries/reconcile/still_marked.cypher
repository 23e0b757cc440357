// Whether $key still carries its mark; read after the reconciler has locked it, so another
// process that reconciled the region first is seen here and the work is not done twice.
OPTIONAL MATCH (i:Identifier {key: $key})
RETURN coalesce(i.reconcile, false) AS marked
