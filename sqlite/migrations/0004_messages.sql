-- Messages: every version of every canned message.

-- variables is a JSON array; stored_at is when the version was stored.
CREATE TABLE messages (
	id         TEXT NOT NULL,
	version    INTEGER NOT NULL,
	path       TEXT NOT NULL DEFAULT '',
	channel    TEXT NOT NULL DEFAULT '',
	department TEXT NOT NULL DEFAULT '',
	stage      TEXT NOT NULL DEFAULT '',
	lang       TEXT NOT NULL DEFAULT '',
	trigger    TEXT NOT NULL DEFAULT '',
	variables  TEXT NOT NULL DEFAULT '[]',
	body       TEXT NOT NULL,
	body_line  INTEGER NOT NULL DEFAULT 0,
	stored_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	PRIMARY KEY (id, version)
) WITHOUT ROWID;
