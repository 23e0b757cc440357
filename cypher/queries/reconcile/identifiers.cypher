// The stored shared flag and segments (JSON) of each of $keys, collected in one record: what a
// rebuild's write-back would set them to is compared with this (store/exactness.py).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
RETURN collect({key: key, shared: coalesce(i.shared, false), segments: i.segments}) AS rows
