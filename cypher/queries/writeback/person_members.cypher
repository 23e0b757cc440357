// For each person id: how many identifiers it still owns outside $core.
UNWIND $ids AS id
MATCH (p:Person {id: id})
OPTIONAL MATCH (p)-[h:HAS {shared: false}]->(i:Identifier)
WHERE NOT i.key IN $core
RETURN id, count(i) AS outside
