-- Contacts: what the company sent each customer, for the journey rules.

-- day is the UTC day of at (days since the Unix epoch), at is Unix
-- milliseconds (UTC), key is saydo.Contact.Key as a signed 64-bit integer.
-- The primary key clusters contacts by day, then customer: an import in
-- time order appends to the end of the tree, a scan reads each customer's
-- contacts of a day together and in time order, and one customer's
-- contacts over N days are N short range reads (the check before a send).
CREATE TABLE contacts (
	day        INTEGER NOT NULL,
	customer   TEXT NOT NULL,
	at         INTEGER NOT NULL,
	key        INTEGER NOT NULL,
	department TEXT NOT NULL,
	channel    TEXT NOT NULL,
	intent     TEXT NOT NULL,
	message    TEXT,
	source_id  TEXT,
	PRIMARY KEY (day, customer, at, key)
) WITHOUT ROWID;

-- A customer's complaints, for the journey rules.
CREATE INDEX feedback_complaints ON feedback (customer, at)
	WHERE kind = 'complaint' AND customer IS NOT NULL;
