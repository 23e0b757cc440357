// What resolution needs of each event (no channel, no attributes), `at` in microseconds
// since the epoch, all collected in one record.
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN collect({id: e.id, at_us: e.at.epochSeconds * 1000000 + e.at.microsecond, type: e.type,
                verified: e.verified, keys: e.keys}) AS rows
