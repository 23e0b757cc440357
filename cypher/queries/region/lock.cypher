// Write locks on the identifiers in $keys, taken in the order given (callers sort them), held
// until the transaction ends: a resolving writer locks what it is about to read, so writers
// whose regions do not meet never wait for each other. Setting and removing a property takes
// the lock and leaves nothing behind (SET to null on a missing property takes none).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
SET i._lock = true
REMOVE i._lock
