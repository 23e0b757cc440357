// Persons left owning nothing: a merged-away one becomes an alias of its survivor and hands
// over its aliases, its timeline and its listings; one with no survivor disappears.
UNWIND $rows AS row
MATCH (old:Person {id: row.old})
WHERE NOT (old)-[:HAS {shared: false}]->()
OPTIONAL MATCH (survivor:Person {id: row.survivor})
CALL (old, survivor) {
  WITH * WHERE survivor IS NOT NULL
  MERGE (alias:PersonAlias {id: old.id})
  MERGE (alias)-[:ALIAS_OF]->(survivor)
}
CALL (old, survivor) {
  WITH * WHERE survivor IS NOT NULL
  MATCH (a:PersonAlias)-[r:ALIAS_OF]->(old)
  MERGE (a)-[:ALIAS_OF]->(survivor)
  DELETE r
}
CALL (old, survivor) {
  WITH * WHERE survivor IS NOT NULL
  MATCH (e:Event)-[r:ATTRIBUTED_TO]->(old)
  MERGE (e)-[moved:ATTRIBUTED_TO]->(survivor)
  SET moved.person = survivor.id, moved.at = e.at
  DELETE r
}
CALL (old, survivor) {
  WITH * WHERE survivor IS NOT NULL
  MATCH (old)-[h:HAS]->(i:Identifier)
  MERGE (survivor)-[h2:HAS]->(i)
    ON CREATE SET h2 = properties(h)
  DELETE h
}
CALL (old) {
  MATCH (a:PersonAlias)-[:ALIAS_OF]->(old)
  DETACH DELETE a
}
DETACH DELETE old
