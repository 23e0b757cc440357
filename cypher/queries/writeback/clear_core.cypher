// Drop the derived state of the core identifiers before writing it anew.
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
OPTIONAL MATCH (i)<-[h:HAS]-(:Person)
DELETE h
WITH DISTINCT i
OPTIONAL MATCH (i)-[l:LINK]-(:Identifier)
DELETE l
