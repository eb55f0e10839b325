-- Contact filters: per day of contacts, the customers contacted that day
-- as a saydo.CustomerFilter (a Bloom filter), so one customer's contacts
-- over a rule's lookback (the check before a send) are read from the days
-- that may hold them instead of from every day.

-- seq is the value of the counter 'contact_filters' of the import that
-- last changed the day's filter: a reader holding the filters in memory
-- rereads the days changed since the value it read.
CREATE TABLE contact_filters (
	day  INTEGER PRIMARY KEY,
	seq  INTEGER NOT NULL,
	bits BLOB NOT NULL
);

INSERT INTO counters (name, value) VALUES ('contact_filters', 0);
