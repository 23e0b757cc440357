// After an erasure: each surviving identifier's first and last sighting, from the events
// that still observe it (the erased ones are gone, so their instants must go too).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})<-[:OBSERVED]-(e:Event)
WITH i, min(e.at) AS first, max(e.at) AS last
SET i.firstSeen = first, i.lastSeen = last
