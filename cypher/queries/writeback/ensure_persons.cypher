// Persons the write-back names, created when new; `since` (the person's earliest evidence)
// only moves earlier. It comes in microseconds since the epoch: the driver's datetime
// conversion costs more than the write at rebuild sizes (see store/records.py epoch_us).
// Instants are floored to whole seconds first: Cypher's / and % truncate toward zero, and
// a negative nanosecond (an instant before 1970 with a fraction) is invalid.
UNWIND $rows AS row
WITH row, datetime({
    epochSeconds: (row.since_us - (row.since_us % 1000000 + 1000000) % 1000000) / 1000000,
    nanosecond: (row.since_us % 1000000 + 1000000) % 1000000 * 1000}) AS since
MERGE (p:Person {id: row.id})
  ON CREATE SET p.since = since, p.createdAt = datetime()
  ON MATCH SET p.since = CASE WHEN since < p.since THEN since ELSE p.since END
