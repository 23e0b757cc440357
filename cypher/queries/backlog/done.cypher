// Events just resolved are no longer pending.
UNWIND $ids AS id
MATCH (e:Event {id: id})
REMOVE e.pending
