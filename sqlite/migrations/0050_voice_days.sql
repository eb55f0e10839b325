-- Voice summaries: per-promise, per-day voice of the customer (a
-- rebuildable cache, like summaries), and what keeping it needs.

-- content is saydo.FeedbackContent (0 for items stored before this
-- migration: a re-import of them counts as a duplicate); target is 1 for a
-- negative item matching no promise (theme discovery reads those).
ALTER TABLE feedback ADD COLUMN content INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback ADD COLUMN target INTEGER NOT NULL DEFAULT 0;
UPDATE feedback SET target = 1 WHERE sentiment_label = 'negative' AND promises IS NULL;

-- A uniform sample of the items in a time range: bucket = key & 1023.
CREATE INDEX feedback_sample ON feedback (target, (key & 1023), at);

-- Days (since the Unix epoch, UTC) whose feedback changed since the voice
-- summaries were last brought up to date; seq orders the marks.
CREATE TABLE feedback_dirty (
	day INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL
) WITHOUT ROWID;

-- promise_id '' holds the day over all items; summary is saydo.VoiceDay
-- as JSON.
CREATE TABLE voice_days (
	promise_id TEXT NOT NULL,
	day        INTEGER NOT NULL,
	summary    TEXT NOT NULL,
	PRIMARY KEY (promise_id, day)
) WITHOUT ROWID;

CREATE TABLE voice_fingerprints (
	promise_id  TEXT PRIMARY KEY,
	fingerprint TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES ('feedback_dirty', 0);
