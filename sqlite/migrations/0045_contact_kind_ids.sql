-- Contacts name their kind (department, channel, intent, message) by its
-- id in contact_kinds instead of repeating four strings a row: an import
-- binds one integer for them, and the table is smaller. The table is
-- rebuilt in its order; readers join contact_kinds.
INSERT OR IGNORE INTO contact_kinds (department, channel, intent, message)
	SELECT DISTINCT department, channel, intent, coalesce(message, '') FROM contacts;

CREATE TABLE contacts_by_kind (
	day       INTEGER NOT NULL,
	customer  TEXT NOT NULL,
	at        INTEGER NOT NULL,
	key       INTEGER NOT NULL,
	kind      INTEGER NOT NULL,
	source_id TEXT,
	PRIMARY KEY (day, customer, at, key)
) WITHOUT ROWID;

INSERT INTO contacts_by_kind (day, customer, at, key, kind, source_id)
	SELECT c.day, c.customer, c.at, c.key, k.id, c.source_id
	FROM contacts c JOIN contact_kinds k
		ON k.department = c.department AND k.channel = c.channel AND k.intent = c.intent AND k.message = coalesce(c.message, '')
	ORDER BY c.day, c.customer, c.at, c.key;

DROP TABLE contacts;
ALTER TABLE contacts_by_kind RENAME TO contacts;
