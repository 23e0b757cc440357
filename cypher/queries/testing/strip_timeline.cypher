// Tests only: attributions as they were written before cypher/schema/006_timeline.cypher.
MATCH ()-[r:ATTRIBUTED_TO]->()
REMOVE r.person, r.at
