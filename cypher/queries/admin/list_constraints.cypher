// Admin constraints, newest first, keyset-paginated on (createdAt, id), each with its sides.
// Erasure deletes identifiers, so an erased value never shows up as a member.
MATCH (c:Constraint)
WHERE $after_at IS NULL OR c.createdAt < $after_at OR (c.createdAt = $after_at AND c.id < $after_id)
WITH c ORDER BY c.createdAt DESC, c.id DESC LIMIT $limit
OPTIONAL MATCH (c)-[s:SIDE]->(i:Identifier)
WITH c, s.side AS side, collect(i.key) AS keys
ORDER BY side
WITH c, collect(CASE WHEN side IS NULL THEN NULL ELSE {side: side, keys: keys} END) AS sides
RETURN c.id AS id, c.kind AS kind, c.active AS active, c.createdAt AS at, c.reason AS reason,
       c.audit AS audit, sides
ORDER BY c.createdAt DESC, c.id DESC
