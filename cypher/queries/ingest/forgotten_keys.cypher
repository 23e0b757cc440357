UNWIND $hashes AS h
MATCH (f:Forgotten {key: h})
RETURN collect(h) AS hashes
