// Identifier nodes: one per normalised (type, value), keyed "TYPE:value".
CREATE CONSTRAINT identifier_key IF NOT EXISTS FOR (i:Identifier) REQUIRE i.key IS UNIQUE;
CREATE INDEX identifier_shared IF NOT EXISTS FOR (i:Identifier) ON (i.shared, i.lastSeen);
