// The CONSENT events attributed to each person, collected in one record. Derived from the
// attribution at read time, so merges, splits and undo need no consent state of their own.
UNWIND $ids AS id
MATCH (:Person {id: id})<-[:ATTRIBUTED_TO]-(e:Event {type: 'CONSENT'})
RETURN collect({person: id, event: e.id, attributes: e.attributes,
                at_us: e.at.epochMillis * 1000 + e.at.microsecond % 1000}) AS rows
