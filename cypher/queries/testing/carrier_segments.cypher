// A carrier's stored segments (JSON, see store/records.py segments_json) by its key.
MATCH (i:Identifier {key: $key})
RETURN i.segments AS segments
