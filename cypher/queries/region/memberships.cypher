// Current persons of $keys: who owns or lists each, and how old each person is.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})<-[h:HAS]-(p:Person)
RETURN key, p.id AS person, h.shared AS shared, p.since AS since
