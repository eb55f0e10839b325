-- Summaries: per-promise, per-day condensed evidence (a rebuildable cache).

-- day is days since the Unix epoch (UTC); sketch is saydo.Sketch.MarshalBinary.
CREATE TABLE summaries (
	promise_id TEXT NOT NULL,
	day        INTEGER NOT NULL,
	n          INTEGER NOT NULL,
	met        INTEGER NOT NULL,
	mean       REAL,
	m2         REAL,
	min        REAL,
	max        REAL,
	sketch     BLOB,
	PRIMARY KEY (promise_id, day)
) WITHOUT ROWID;

CREATE TABLE summary_fingerprints (
	promise_id  TEXT PRIMARY KEY,
	fingerprint TEXT NOT NULL
) WITHOUT ROWID;
