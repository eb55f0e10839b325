-- The feedback version (0060) moves only when what outcome linkage reads
-- changes: re-analysing stored items (their language, sentiment, mapping)
-- leaves the customers' voices as they were.
DROP TRIGGER feedback_version_update;

CREATE TRIGGER feedback_version_update AFTER UPDATE OF at, customer, kind, nps, csat ON feedback
BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'feedback';
END;
