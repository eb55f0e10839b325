-- Feedback: customers' voice with what saydo read in it.

-- key is saydo.Feedback.Key as a signed 64-bit integer; at is Unix
-- milliseconds (UTC); absent scores are NULL; attrs is
-- saydo.Attrs.Canonical(); effort and promises are the analysis as JSON
-- text (the same text as the SQLite store keeps).
CREATE TABLE feedback (
	key             bigint PRIMARY KEY,
	at              bigint NOT NULL,
	source_id       text,
	text            text NOT NULL DEFAULT '',
	customer        text COLLATE "C",
	channel         text,
	kind            text,
	lang            text,
	nps             double precision,
	csat            double precision,
	ces             double precision,
	rating          double precision,
	attrs           text NOT NULL DEFAULT '',
	label           text,
	sentiment       double precision,
	sentiment_label text,
	anger           boolean NOT NULL DEFAULT false,
	effort          text,
	promises        text
);

CREATE INDEX feedback_at ON feedback (at, key);

-- One row per promise a feedback item speaks of, for per-promise voice.
CREATE TABLE feedback_mentions (
	feedback_key bigint NOT NULL REFERENCES feedback (key) ON DELETE CASCADE,
	promise_id   text NOT NULL,
	score        double precision,
	match        text,
	PRIMARY KEY (feedback_key, promise_id)
);

CREATE INDEX feedback_mentions_promise ON feedback_mentions (promise_id);
