-- Contact filters: per day of contacts, the customers contacted that day
-- as a saydo.CustomerFilter (a Bloom filter), so one customer's contacts
-- over a rule's lookback (the check before a send) are read from the days
-- that may hold them instead of from every day.

-- seq is the value of the counter 'contact_filters' of the import that
-- last changed the day's filter: a reader holding the filters in memory
-- rereads the days changed since the value it read. Imports update the
-- counter first, so its row lock orders their filter updates.
CREATE TABLE contact_filters (
	day  bigint PRIMARY KEY,
	seq  bigint NOT NULL,
	bits bytea NOT NULL
);

INSERT INTO counters (name, value) VALUES ('contact_filters', 0);
