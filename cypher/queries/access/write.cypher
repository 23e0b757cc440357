// One request's reads in one statement. Person ids hang off the entry as their own indexed
// nodes, so a per-person read is an index seek and erasure can cut them away leaving counts.
UNWIND $rows AS row
CREATE (a:AccessEntry {id: row.id, at: $at, caller: $caller, role: $role,
                       purpose: row.purpose, operation: row.operation,
                       personCount: size(row.personIds)})
WITH a, row
UNWIND row.personIds AS person
CREATE (a)-[:ABOUT]->(:AccessedPerson {id: person})
