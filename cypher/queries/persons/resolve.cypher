// Everything one resolve answer needs, in one statement (one round trip per request):
// * each person listing the identifier with its confidence and the period of its evidence
//   (microseconds since the epoch), best first; the person's own fields are read only when a
//   query selects them (persons/read, batched per request);
// * the identifier's segments (JSON, each with its holder), stored for every carrier: they
//   pick the person of a moment, as attribution does (domain/carrier_moment.py);
// * when $verify: the persons a verified LOGIN on the identifier in [$since_us, $until_us]
//   (microseconds since the epoch: no DateTime to pack per request) is attributed to
//   (assurance VERIFIED);
// * when $consent: the CONSENT decisions attributed to the listed persons (the purpose asks
//   consent), instants in microseconds.
// Instants leave as epochMillis * 1000 + microsecond % 1000 (epochSeconds is not floored
// before 1970), and arrive floored to whole seconds first (Cypher's / and % truncate toward
// zero, and a negative nanosecond is invalid).
MATCH (i:Identifier {key: $key})
OPTIONAL MATCH (p:Person)-[h:HAS]->(i)
WITH i, p, h ORDER BY h.confidence DESC, p.id
WITH i, [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE {person: p.id, confidence: h.confidence,
             first_us: h.firstSeen.epochMillis * 1000 + h.firstSeen.microsecond % 1000,
             last_us: h.lastSeen.epochMillis * 1000 + h.lastSeen.microsecond % 1000} END)
      WHERE x IS NOT NULL] AS persons
CALL (i) {
  WITH datetime({
         epochSeconds: ($since_us - ($since_us % 1000000 + 1000000) % 1000000) / 1000000,
         nanosecond: ($since_us % 1000000 + 1000000) % 1000000 * 1000}) AS since,
       datetime({
         epochSeconds: ($until_us - ($until_us % 1000000 + 1000000) % 1000000) / 1000000,
         nanosecond: ($until_us % 1000000 + 1000000) % 1000000 * 1000}) AS until
  MATCH (i)<-[:OBSERVED]-(e:Event {type: 'LOGIN'})-[:ATTRIBUTED_TO]->(v:Person)
  WHERE $verify AND e.verified AND e.at >= since AND e.at <= until
  RETURN collect(DISTINCT v.id) AS verified
}
CALL (persons) {
  UNWIND CASE WHEN $consent THEN persons ELSE [] END AS x
  MATCH (:Person {id: x.person})<-[:ATTRIBUTED_TO]-(c:Event {type: 'CONSENT'})
  RETURN collect({person: x.person, event: c.id, attributes: c.attributes,
                  at_us: c.at.epochMillis * 1000 + c.at.microsecond % 1000}) AS decisions
}
RETURN i.shared AS shared, i.segments AS segments, persons, verified, decisions
