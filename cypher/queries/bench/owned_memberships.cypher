// Every owned identifier with its person (the realistic stream bench scores them against the
// simulated world's truth).
MATCH (p:Person)-[h:HAS {shared: false}]->(i:Identifier)
RETURN i.key AS key, p.id AS person
