// The deny-list's key record: created once, by the first process that needs it. It holds the
// generated secret only when no GRAPH_IDENTITY_ERASURE_KEY is configured, and otherwise just
// a fingerprint, so a changed key is noticed instead of silently voiding the deny-list.
MERGE (k:ErasureKey {name: $record})
  ON CREATE SET k.secret = $secret, k.fingerprint = $fingerprint, k.createdAt = datetime()
RETURN k.secret AS secret, k.fingerprint AS fingerprint
