// Drop the memberships of the core identifiers before writing them anew.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})<-[h:HAS]-(:Person)
DELETE h
