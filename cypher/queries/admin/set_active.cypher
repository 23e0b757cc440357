UNWIND $ids AS id
MATCH (c:Constraint {id: id})
SET c.active = $active
