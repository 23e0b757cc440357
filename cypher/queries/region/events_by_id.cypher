// What resolution needs of each event (no channel, no attributes), `at` in microseconds
// since the epoch, all collected in one record.
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN collect({id: e.id, at_us: e.at.epochMillis * 1000 + e.at.microsecond % 1000, type: e.type,
                verified: e.verified, keys: e.keys}) AS rows
