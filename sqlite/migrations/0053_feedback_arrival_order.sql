-- Feedback rows are stored in the order they arrive (seq, the rowid), not
-- by key: keys are hashes, so with key as the rowid every import wrote its
-- items all over the table, each batch rewriting pages of the whole file
-- (a million items imported at a fifth of the speed of 200,000). key stays
-- the item's identity, kept UNIQUE in its own small index, which INSERT OR
-- IGNORE and every lookup by key use. The rows are copied in time order.
--
-- The table is built anew, so its triggers go with the old one: the only
-- one left by 0063 moved the 'feedback' version on a delete, and nothing
-- deletes feedback (on a new store 0060 creates it again, harmlessly).
CREATE TABLE feedback_arrival (
	seq             INTEGER PRIMARY KEY,
	key             INTEGER NOT NULL UNIQUE,
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
	promises        TEXT,
	content         INTEGER NOT NULL DEFAULT 0,
	target          INTEGER NOT NULL DEFAULT 0
);

INSERT INTO feedback_arrival (key, at, source_id, text, customer, channel, kind, lang, nps, csat, ces, rating,
	attrs, label, sentiment, sentiment_label, anger, effort, promises, content, target)
SELECT key, at, source_id, text, customer, channel, kind, lang, nps, csat, ces, rating,
	attrs, label, sentiment, sentiment_label, anger, effort, promises, content, target
FROM feedback ORDER BY at, key;

DROP TABLE feedback;
ALTER TABLE feedback_arrival RENAME TO feedback;

CREATE INDEX feedback_at ON feedback (at, key);
CREATE INDEX feedback_complaints ON feedback (customer, at)
	WHERE kind = 'complaint' AND customer IS NOT NULL;
CREATE INDEX feedback_sample ON feedback (target, (key >> 53), key, at);
