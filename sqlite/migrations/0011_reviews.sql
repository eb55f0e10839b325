-- Message review: the review state of every version of every message (the
-- versions and their bodies live in messages, 0004), the decisions taken on
-- each, and an append-only audit log.

CREATE TABLE review_versions (
	message_id TEXT NOT NULL,
	version    INTEGER NOT NULL,
	state      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (message_id, version)
) WITHOUT ROWID;

CREATE TABLE review_decisions (
	id         INTEGER PRIMARY KEY,
	message_id TEXT NOT NULL,
	version    INTEGER NOT NULL,
	state      TEXT NOT NULL,
	reviewer   TEXT NOT NULL,
	comment    TEXT NOT NULL,
	at         TEXT NOT NULL,
	FOREIGN KEY (message_id, version) REFERENCES review_versions(message_id, version)
);

CREATE INDEX review_decisions_message ON review_decisions(message_id, version);

CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT NOT NULL
);
