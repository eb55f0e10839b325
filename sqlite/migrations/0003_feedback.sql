-- Feedback: customers' voice with what saydo read in it.

-- key is saydo.Feedback.Key as a signed 64-bit integer (the rowid); at is
-- Unix milliseconds (UTC); absent scores are NULL; attrs is
-- saydo.Attrs.Canonical(); effort and promises are the analysis as JSON.
CREATE TABLE feedback (
	key             INTEGER PRIMARY KEY,
	at              INTEGER NOT NULL,
	source_id       TEXT,
	text            TEXT NOT NULL DEFAULT '',
	customer        TEXT,
	channel         TEXT,
	kind            TEXT,
	lang            TEXT,
	nps             REAL,
	csat            REAL,
	ces             REAL,
	rating          REAL,
	attrs           TEXT NOT NULL DEFAULT '',
	label           TEXT,
	sentiment       REAL,
	sentiment_label TEXT,
	anger           INTEGER NOT NULL DEFAULT 0,
	effort          TEXT,
	promises        TEXT
);

CREATE INDEX feedback_at ON feedback (at, key);

-- One row per promise a feedback item speaks of, for per-promise voice.
CREATE TABLE feedback_mentions (
	feedback_key INTEGER NOT NULL REFERENCES feedback (key) ON DELETE CASCADE,
	promise_id   TEXT NOT NULL,
	score        REAL,
	match        TEXT,
	PRIMARY KEY (feedback_key, promise_id)
) WITHOUT ROWID;

CREATE INDEX feedback_mentions_promise ON feedback_mentions (promise_id);
