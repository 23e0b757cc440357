UNWIND $rows AS row
MERGE (p:Person {id: row.id})
  ON CREATE SET p.since = row.since, p.createdAt = datetime()
  ON MATCH SET p.since = CASE WHEN row.since < p.since THEN row.since ELSE p.since END
