// Everything stored: every node with its labels and properties and every relationship with
// its type, properties and ends. Equal before and after = nothing was written.
MATCH (n)
WITH collect({id: elementId(n), labels: labels(n), props: properties(n)}) AS nodes
OPTIONAL MATCH (a)-[r]->(b)
RETURN nodes, [x IN collect({a: elementId(a), type: type(r), props: properties(r),
                             b: elementId(b)}) WHERE x.type IS NOT NULL] AS rels
