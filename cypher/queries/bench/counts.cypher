// Sizes of the graph a benchmark ran on.
CALL () { MATCH (i:Identifier) RETURN count(i) AS identifiers }
CALL () { MATCH (e:Event) RETURN count(e) AS events }
CALL () { MATCH (p:Person) RETURN count(p) AS persons }
RETURN identifiers, events, persons
