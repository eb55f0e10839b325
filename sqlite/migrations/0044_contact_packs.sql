-- Contact packs: each import's new contacts of a bucket of customers
-- (saydo.ContactBucket) and a month (saydo.ContactMonth), encoded as a
-- saydo contact pack (contact_pack.go), so a report over every contact
-- (saydo journeys) reads blobs, bucket by bucket, instead of a row per
-- contact. A bucket's month has one pack per import that added to it (more
-- for a large import); id orders them as they were written. Stores with contacts from
-- before this migration get theirs built once when opened.
CREATE TABLE contact_packs (
	id     INTEGER PRIMARY KEY,
	bucket INTEGER NOT NULL,
	month  INTEGER NOT NULL,
	pack   BLOB NOT NULL
);

CREATE INDEX contact_packs_order ON contact_packs (bucket, month, id);

-- What many contacts share, stored once: packs name kinds by id. Ids are
-- never reused or changed. message is '' for none (so the unique key
-- holds).
CREATE TABLE contact_kinds (
	id         INTEGER PRIMARY KEY,
	department TEXT NOT NULL,
	channel    TEXT NOT NULL,
	intent     TEXT NOT NULL,
	message    TEXT NOT NULL,
	UNIQUE (department, channel, intent, message)
);
