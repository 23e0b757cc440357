MATCH (a:Audit {id: $id})
SET a.undoneBy = $by
