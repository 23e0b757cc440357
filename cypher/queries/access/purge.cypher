// Entries older than the retention, a bounded batch at a time (start-up, then periodically).
MATCH (a:AccessEntry) WHERE a.at < $before
WITH a LIMIT $limit
OPTIONAL MATCH (a)-[:ABOUT]->(x:AccessedPerson)
DETACH DELETE a, x
RETURN count(DISTINCT a) AS purged
