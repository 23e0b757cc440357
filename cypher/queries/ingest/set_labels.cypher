// Type labels (Cookie, Device, ...) for new identifiers; $label comes from the allowlist.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
SET i:$($label)
