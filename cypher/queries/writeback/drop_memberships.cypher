// Memberships that no longer hold.
UNWIND $rows AS row
MATCH (:Person {id: row.person})-[h:HAS]->(:Identifier {key: row.key})
DELETE h
