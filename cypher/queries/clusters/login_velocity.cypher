// Login velocity of carriers: logins in all, the busiest clock hour, and how many accounts
// logged in. A kiosk sees a few logins an hour; a credential-stuffing rig sees hundreds.
UNWIND $keys AS key
MATCH (:Identifier {key: key})<-[:OBSERVED]-(e:Event {type: 'LOGIN'})
WITH key, e, datetime.truncate('hour', e.at) AS hour
WITH key, hour, count(e) AS n
RETURN key, sum(n) AS logins, max(n) AS peak
