// Up to $limit marked hubs in key order, and how many are marked in all; both found through the
// index on reconcile (schema 009), never by scanning every identifier.
CALL () {
  MATCH (i:Identifier)
  WHERE i.reconcile = true
  RETURN count(i) AS total
}
CALL () {
  MATCH (i:Identifier)
  WHERE i.reconcile = true
  WITH i.key AS key ORDER BY key LIMIT $limit
  RETURN collect(key) AS keys
}
RETURN keys, total
