// Baseline only (graph-identity bench): the bare lookup a resolve needs at least.
MATCH (i:Identifier {key: $key})<-[h:HAS]-(p:Person)
RETURN p.id AS person, h.confidence AS confidence
