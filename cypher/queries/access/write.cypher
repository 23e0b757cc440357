// The entries of every request a group commit gathered (store/group_commit.py), in one
// statement. Instants arrive as microseconds since the epoch (no DateTime to build in the
// driver) and are stored as DateTime. Person ids hang off the entry as their own indexed
// nodes, so a per-person read is an index seek and erasure can cut them away leaving counts.
UNWIND $rows AS row
CREATE (a:AccessEntry {id: row.id, caller: row.caller, role: row.role,
                       at: datetime({epochSeconds: row.at_us / 1000000,
                                     nanosecond: row.at_us % 1000000 * 1000}),
                       purpose: row.purpose, operation: row.operation,
                       personCount: size(row.personIds)})
WITH a, row
UNWIND row.personIds AS person
CREATE (a)-[:ABOUT]->(:AccessedPerson {id: person})
