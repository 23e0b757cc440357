// Whether a verified LOGIN attributed to the person observed the identifier in [since, until].
MATCH (:Identifier {key: $key})<-[:OBSERVED]-(e:Event {type: 'LOGIN'})
      -[:ATTRIBUTED_TO]->(:Person {id: $person})
WHERE e.verified AND e.at >= $since AND e.at <= $until
RETURN count(e) > 0 AS verified
