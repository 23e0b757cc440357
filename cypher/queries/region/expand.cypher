// One step of region growth: for each frontier key, its type and shared flag, and (unless it
// is shared) the identifiers co-observed with it in any event.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
CALL (i) {
  WITH i WHERE NOT coalesce(i.shared, false)
  MATCH (i)<-[:OBSERVED]-(:Event)-[:OBSERVED]->(j:Identifier)
  WHERE j <> i
  RETURN collect(DISTINCT j.key) AS neighbours
}
RETURN i.key AS key, i.type AS type, coalesce(i.shared, false) AS shared, neighbours
