CREATE CONSTRAINT access_entry_id IF NOT EXISTS FOR (a:AccessEntry) REQUIRE a.id IS UNIQUE;
CREATE INDEX access_entry_at IF NOT EXISTS FOR (a:AccessEntry) ON (a.at);
CREATE INDEX access_entry_caller IF NOT EXISTS FOR (a:AccessEntry) ON (a.caller);
CREATE INDEX accessed_person_id IF NOT EXISTS FOR (x:AccessedPerson) ON (x.id);
