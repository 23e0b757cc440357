// Constraints own an index of the same name, so this lists both kinds.
SHOW INDEXES YIELD name, state
WHERE state = 'ONLINE'
RETURN name
