MATCH (a:Audit)
WHERE ($id IS NULL OR a.id = $id)
  AND ($after_at IS NULL OR a.at < $after_at OR (a.at = $after_at AND a.id < $after_id))
RETURN a.id AS id, a.at AS at, a.actor AS actor, a.action AS action, a.reason AS reason,
       a.personIds AS personIds, a.details AS details, a.undoneBy AS undoneBy
ORDER BY a.at DESC, a.id DESC
LIMIT $limit
