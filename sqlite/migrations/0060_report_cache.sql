-- Reports that are costly to compute (outcome linkage: every customer's
-- experiences joined with their feedback), kept until the evidence they
-- were computed from changes. A cache: deleting its rows loses nothing.
CREATE TABLE report_cache (
	name    TEXT PRIMARY KEY,
	version TEXT NOT NULL,
	body    BLOB NOT NULL
) WITHOUT ROWID;

-- 'feedback' changes whenever a feedback row is inserted, updated or
-- deleted, so cached reports that read feedback know they are stale.
INSERT INTO counters (name, value) VALUES ('feedback', 0);

CREATE TRIGGER feedback_version_insert AFTER INSERT ON feedback
BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'feedback';
END;

CREATE TRIGGER feedback_version_update AFTER UPDATE ON feedback
BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'feedback';
END;

CREATE TRIGGER feedback_version_delete AFTER DELETE ON feedback
BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'feedback';
END;
