-- Alerts sent by saydo serve: the state each subject (promise:ID, journeys)
-- was last alerted for, and every delivery attempt, for admins. at is Unix
-- milliseconds (UTC).
CREATE TABLE alert_states (
	subject   TEXT PRIMARY KEY,
	status    TEXT NOT NULL,
	direction TEXT NOT NULL,
	conflicts INTEGER NOT NULL DEFAULT 0,
	at        INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE alert_deliveries (
	id          INTEGER PRIMARY KEY,
	message_id  TEXT NOT NULL,
	event       TEXT NOT NULL,
	subject     TEXT NOT NULL,
	url         TEXT NOT NULL,
	attempt     INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	status      INTEGER NOT NULL,
	error       TEXT NOT NULL DEFAULT '',
	duration_ms INTEGER NOT NULL,
	body        TEXT NOT NULL
);

CREATE INDEX alert_deliveries_at ON alert_deliveries (at);
