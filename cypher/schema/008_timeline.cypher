// Timelines at size: each attribution carries its person's id and its event's instant, so that
// `persons/events` seeks (person, at) in this index and reads the newest page in index order
// instead of sorting the person's whole history.
CREATE INDEX attributed_timeline IF NOT EXISTS FOR ()-[r:ATTRIBUTED_TO]-() ON (r.person, r.at);
// Attributions written before the index existed get the two properties once (idempotent: only
// rows still without them are touched).
MATCH (e:Event)-[r:ATTRIBUTED_TO]->(p:Person)
WHERE r.person IS NULL OR r.person <> p.id OR r.at IS NULL
SET r.person = p.id, r.at = e.at
