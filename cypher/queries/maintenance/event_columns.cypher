// One page of every event as parallel columns (what resolution needs, no attributes), in id
// order after $after: one record of five lists, not a map per event, so the reader builds
// compact arrays without a Python object per event. `last` is where the next page starts.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
MATCH (e:Event)
WHERE e.id > $after
WITH e ORDER BY e.id LIMIT $limit
RETURN collect(e.id) AS ids,
       collect(e.at.epochMillis * 1000 + e.at.microsecond % 1000) AS at_us,
       collect(e.type) AS types, collect(e.verified) AS verified, collect(e.keys) AS keys,
       max(e.id) AS last
