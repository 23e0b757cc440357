// A person's timeline, newest first, keyset-paginated on (at, id), optionally filtered.
// The page is read from the attributed_timeline index (person, at) in descending order, so its
// cost does not grow with the person's history: $lo and $hi always hold instants (the caller
// fills in the far past and future) so that the range is seekable; the exact bounds
// (until exclusive, the cursor's tie-break on id) and the type/channel filters apply to the
// rows the seek returns. A merged-away id reads its survivor's timeline. Instants come back as
// microseconds since the epoch (the driver's DateTime costs more than it gives here).
// Instants leave as epochMillis * 1000 + microsecond % 1000: epochSeconds is not floored
// before 1970 (1969-07-20T20:17:40.5Z has epochSeconds -14182939).
OPTIONAL MATCH (direct:Person {id: $person})
OPTIONAL MATCH (:PersonAlias {id: $person})-[:ALIAS_OF]->(aliased:Person)
WITH coalesce(direct.id, aliased.id) AS person
WHERE person IS NOT NULL
CALL (person) {
  MATCH (e:Event)-[r:ATTRIBUTED_TO]->(:Person)
  WHERE r.person = person AND r.at >= $lo AND r.at <= $hi
    AND ($until IS NULL OR r.at < $until)
    AND ($after_at IS NULL OR r.at < $after_at OR e.id < $after_id)
    AND ($types IS NULL OR e.type IN $types)
    AND ($channels IS NULL OR e.channel IN $channels)
  // r.person leads the ORDER BY although it is fixed: only then does the planner take the
  // index's order (a lazy PartialTop) instead of sorting every row of the range
  RETURN e ORDER BY r.person DESC, r.at DESC, e.id DESC LIMIT $limit
}
RETURN e.id AS id, e.at.epochMillis * 1000 + e.at.microsecond % 1000 AS at_us, e.type AS type,
       e.channel AS channel, e.attributes AS attributes, e.verified AS verified,
       [(e)-[:OBSERVED]->(i:Identifier) | i.key] AS keys
