-- Contacts: what the company sent each customer, for the journey rules.

-- day is the UTC day of at (days since the Unix epoch), at is Unix
-- milliseconds (UTC), key is saydo.Contact.Key as a signed 64-bit integer.
-- The primary key orders contacts by day, then customer (in byte order, as
-- SQLite sorts), then time: an import in time order appends, and one
-- customer's contacts over N days are N short index reads.
CREATE TABLE contacts (
	day        bigint NOT NULL,
	customer   text COLLATE "C" NOT NULL,
	at         bigint NOT NULL,
	key        bigint NOT NULL,
	department text NOT NULL,
	channel    text NOT NULL,
	intent     text NOT NULL,
	message    text,
	source_id  text,
	PRIMARY KEY (day, customer, at, key)
);

-- A customer's complaints, for the journey rules.
CREATE INDEX feedback_complaints ON feedback (customer, at)
	WHERE kind = 'complaint' AND customer IS NOT NULL;
