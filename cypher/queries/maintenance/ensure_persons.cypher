// writeback/ensure_persons for rebuild, with `since` in microseconds since the epoch (see
// maintenance/memberships: the driver's datetime conversion is the cost being avoided).
UNWIND $rows AS row
WITH row, datetime({epochSeconds: row.since_us / 1000000,
                    nanosecond: row.since_us % 1000000 * 1000}) AS since
MERGE (p:Person {id: row.id})
  ON CREATE SET p.since = since, p.createdAt = datetime()
  ON MATCH SET p.since = CASE WHEN since < p.since THEN since ELSE p.since END
