// When each shared carrier in $carriers was seen together with a core identifier.
MATCH (c:Identifier)<-[:OBSERVED]-(e:Event)-[:OBSERVED]->(k:Identifier)
WHERE c.key IN $carriers AND k.key IN $core
WITH c, collect(DISTINCT e.at) AS times
RETURN collect({key: c.key, times: times}) AS rows
