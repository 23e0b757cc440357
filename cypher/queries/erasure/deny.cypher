// Add keyed hashes (HMAC) to the deny-list; never the values themselves.
UNWIND $hashes AS h
MERGE (:Forgotten {key: h})
