// What a region's identifiers hold now: every membership (key, person, shared, figures) and
// every timeline entry (event, person) of $events; compared before and after a reconciliation
// to count the persons it changed. Collected in one record each.
CALL () {
  UNWIND $keys AS key
  MATCH (:Identifier {key: key})<-[h:HAS]-(p:Person)
  RETURN collect([key, p.id, h.shared, h.confidence, h.firstSeen, h.lastSeen, h.linked])
         AS memberships
}
CALL () {
  UNWIND $events AS id
  MATCH (:Event {id: id})-[:ATTRIBUTED_TO]->(p:Person)
  RETURN collect([id, p.id]) AS timeline
}
RETURN memberships, timeline
