// Invariants; each row is one broken rule with a sample of offenders.
CALL () {
  MATCH (i:Identifier)<-[h:HAS {shared: false}]-(:Person)
  WITH i, count(h) AS owners WHERE owners > 1
  RETURN 'identifier owned by several persons' AS rule, collect(i.key)[..5] AS sample,
         count(*) AS n
  UNION ALL
  MATCH (i:Identifier {shared: true})<-[:HAS {shared: false}]-(:Person)
  RETURN 'shared identifier with an owner' AS rule, collect(i.key)[..5] AS sample, count(*) AS n
  UNION ALL
  MATCH (i:Identifier) WHERE NOT (i)<-[:HAS]-(:Person)
  RETURN 'identifier on no person' AS rule, collect(i.key)[..5] AS sample, count(*) AS n
  UNION ALL
  MATCH (p:Person) WHERE NOT (p)-[:HAS]->()
  RETURN 'person without identifiers' AS rule, collect(p.id)[..5] AS sample, count(*) AS n
  UNION ALL
  MATCH (a:PersonAlias) WHERE NOT (a)-[:ALIAS_OF]->(:Person)
  RETURN 'dangling alias' AS rule, collect(a.id)[..5] AS sample, count(*) AS n
  UNION ALL
  MATCH (e:Event) WHERE NOT (e)-[:OBSERVED]->()
  RETURN 'event without identifiers' AS rule, collect(e.id)[..5] AS sample, count(*) AS n
}
WITH rule, sample, n WHERE n > 0
RETURN rule, sample, n
