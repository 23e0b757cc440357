// An undone merge gives a merged-away id back to its person.
UNWIND $ids AS id
MATCH (a:PersonAlias {id: id})
DETACH DELETE a
