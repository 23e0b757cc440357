// Admin constraints whose reason quotes any of $texts (erased keys and values): the reason is
// copied from the audit entry that made the constraint, so it is scrubbed the same way.
MATCH (c:Constraint)
WHERE c.reason IS NOT NULL AND any(t IN $texts WHERE c.reason CONTAINS t)
RETURN c.id AS id, c.reason AS reason
