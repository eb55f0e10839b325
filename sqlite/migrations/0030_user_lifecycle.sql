-- A server that holds (issue 13): tokens that expire, and failed sign-ins
-- for throttling (the audit log keeps them too; this table is the window
-- the throttle counts over, pruned as it goes).

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

CREATE TABLE sign_in_failures (
	id      INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL, -- Unix nanoseconds: sorts and compares as time does
	name    TEXT NOT NULL,
	address TEXT NOT NULL
);

CREATE INDEX sign_in_failures_name ON sign_in_failures(name, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);
