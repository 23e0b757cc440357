// Test isolation only: must run in an auto-commit transaction (session.run).
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
