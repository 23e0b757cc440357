// Erasure: the entries stay (with personCount), the erased ids go.
MATCH (x:AccessedPerson) WHERE x.id IN $ids
DETACH DELETE x
