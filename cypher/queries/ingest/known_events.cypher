// Replays among $ids (stored, or erased: only their hash is left), and which identifier
// hashes in $identifiers belong to erased identifiers.
CALL () {
  UNWIND $ids AS id
  OPTIONAL MATCH (e:Event {id: id})
  OPTIONAL MATCH (f:Forgotten {key: $hashes[id]})
  WITH id, e, f WHERE e IS NOT NULL OR f IS NOT NULL
  RETURN collect(id) AS known
}
CALL () {
  UNWIND $identifiers AS h
  MATCH (f:Forgotten {key: h})
  RETURN collect(h) AS erased
}
RETURN known, erased
