// Entries newest first, keyset-paginated on (at, id); by person (any of $ids) and/or caller.
CALL () {
  MATCH (x:AccessedPerson)<-[:ABOUT]-(a:AccessEntry)
  WHERE $ids IS NOT NULL AND x.id IN $ids
  RETURN DISTINCT a
  UNION
  MATCH (a:AccessEntry)
  WHERE $ids IS NULL
  RETURN a
}
WITH a
WHERE ($caller IS NULL OR a.caller = $caller)
  AND ($after_at IS NULL OR a.at < $after_at OR (a.at = $after_at AND a.id < $after_id))
WITH a ORDER BY a.at DESC, a.id DESC LIMIT $limit
RETURN a.id AS id, a.at AS at, a.caller AS caller, a.role AS role, a.purpose AS purpose,
       a.operation AS operation, a.personCount AS personCount,
       [(a)-[:ABOUT]->(x:AccessedPerson) | x.id] AS personIds
ORDER BY a.at DESC, a.id DESC
