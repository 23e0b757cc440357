// Everything stored but the access log: every node with its labels and properties and every
// relationship with its type, properties and ends. Equal before and after = nothing was
// written to the identity graph. The access log is left out on purpose: a dry run's answer is
// a read of persons' data, and reads are logged (README "Consent, purposes and access").
MATCH (n) WHERE NOT n:AccessEntry AND NOT n:AccessedPerson
WITH collect({id: elementId(n), labels: labels(n), props: properties(n)}) AS nodes
OPTIONAL MATCH (a)-[r]->(b) WHERE NOT a:AccessEntry
RETURN nodes, [x IN collect({a: elementId(a), type: type(r), props: properties(r),
                             b: elementId(b)}) WHERE x.type IS NOT NULL] AS rels
