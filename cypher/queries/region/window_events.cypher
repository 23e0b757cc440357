// Ids of the events on each carrier inside its [start, end) windows (null = open).
UNWIND $windows AS w
MATCH (c:Identifier {key: w.key})<-[:OBSERVED]-(e:Event)
WHERE (w.start IS NULL OR e.at >= w.start) AND (w.end IS NULL OR e.at < w.end)
RETURN collect(DISTINCT e.id) AS ids
