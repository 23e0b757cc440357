CREATE (c:Constraint {id: $id, kind: $kind, active: true, createdAt: datetime(), audit: $audit})
WITH c
UNWIND $members AS member
MATCH (i:Identifier {key: member.key})
CREATE (c)-[:SIDE {side: member.side}]->(i)
