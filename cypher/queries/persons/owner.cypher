// Who owns (not merely lists) each identifier.
UNWIND $keys AS key
OPTIONAL MATCH (p:Person)-[:HAS {shared: false}]->(:Identifier {key: key})
RETURN key, p.id AS person
