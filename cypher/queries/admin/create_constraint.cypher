// A constraint names the admin's reason and the audit entry behind it (`audit`), so the
// constraints list can say who decided it and why.
CREATE (c:Constraint {id: $id, kind: $kind, active: true, createdAt: datetime(), audit: $audit,
                      reason: $reason})
WITH c
UNWIND $members AS member
MATCH (i:Identifier {key: member.key})
CREATE (c)-[:SIDE {side: member.side}]->(i)
