// Which of $ids are already stored or were erased (hashed), i.e. replays.
UNWIND $ids AS id
OPTIONAL MATCH (e:Event {id: id})
OPTIONAL MATCH (f:Forgotten {key: $hashes[id]})
WITH id, e, f WHERE e IS NOT NULL OR f IS NOT NULL
RETURN collect(id) AS known
