// One step of region growth: for each frontier key, its type, whether it is a hub (shared by
// at least $hub persons) and, unless it is a hub, the identifiers co-observed with it.
// Rows come back collected in one record: the driver's cost is per record, not per value.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
WITH i, coalesce(i.shared, false) AND COUNT { (i)<-[:HAS]-(:Person) } >= $hub AS hub
CALL (i, hub) {
  WITH i WHERE NOT hub
  MATCH (i)<-[:OBSERVED]-(:Event)-[:OBSERVED]->(j:Identifier)
  WHERE j <> i
  RETURN collect(DISTINCT j.key) AS neighbours
}
RETURN collect({key: i.key, type: i.type, hub: hub, neighbours: neighbours}) AS rows
