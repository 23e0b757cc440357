// Up to $limit marked hubs, in key order (the index on reconcile finds them), collected in one
// record, with how many are marked in all.
MATCH (i:Identifier)
WHERE i.reconcile = true
WITH i.key AS key ORDER BY key
WITH collect(key) AS keys
RETURN keys[..$limit] AS keys, size(keys) AS total
