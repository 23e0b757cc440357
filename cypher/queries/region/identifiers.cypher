UNWIND $keys AS key
MATCH (i:Identifier {key: key})
RETURN i.key AS key, i.type AS type, i.shared AS shared
