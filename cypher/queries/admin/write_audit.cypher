CREATE (a:Audit {id: $id, at: datetime(), actor: $actor, action: $action, reason: $reason,
                 personIds: $personIds, details: $details})
