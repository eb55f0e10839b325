-- Voice summaries: per-promise, per-day voice of the customer (a
-- rebuildable cache, like summaries), and what keeping it needs.

-- content is saydo.FeedbackContent as a signed 64-bit integer (0 for items
-- stored before this migration: a re-import of them counts as a
-- duplicate); target is true for a negative item matching no promise
-- (theme discovery reads those).
ALTER TABLE feedback ADD COLUMN content bigint NOT NULL DEFAULT 0;
ALTER TABLE feedback ADD COLUMN target boolean NOT NULL DEFAULT false;
UPDATE feedback SET target = true WHERE sentiment_label = 'negative' AND promises IS NULL;

-- A uniform sample of the items in a time range: bucket = key & 1023.
CREATE INDEX feedback_sample ON feedback (target, (key & 1023), at);

-- Days (since the Unix epoch, UTC) whose feedback changed since the voice
-- summaries were last brought up to date; seq orders the marks.
CREATE TABLE feedback_dirty (
	day bigint PRIMARY KEY,
	seq bigint NOT NULL
);

-- promise_id '' holds the day over all items; summary is saydo.VoiceDay
-- as JSON (text, byte for byte what the SQLite store keeps).
CREATE TABLE voice_days (
	promise_id text NOT NULL,
	day        bigint NOT NULL,
	summary    text NOT NULL,
	PRIMARY KEY (promise_id, day)
);

CREATE TABLE voice_fingerprints (
	promise_id  text PRIMARY KEY,
	fingerprint text NOT NULL
);

INSERT INTO counters (name, value) VALUES ('feedback_dirty', 0);
