// Clear the marks of a reconciled region's identifiers (all write-locked by the transaction).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
WHERE i.reconcile IS NOT NULL
REMOVE i.reconcile
