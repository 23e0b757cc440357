// One page of every event (what resolution needs, no attributes), in id order after $after,
// collected in one record; `last` is where the next page starts.
MATCH (e:Event)
WHERE e.id > $after
WITH e ORDER BY e.id LIMIT $limit
RETURN collect({id: e.id, at_us: e.at.epochSeconds * 1000000 + e.at.microsecond, type: e.type,
                verified: e.verified, keys: e.keys}) AS rows, max(e.id) AS last
