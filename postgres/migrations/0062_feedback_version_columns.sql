-- The feedback version (0060) moves only when what outcome linkage reads
-- changes: re-analysing stored items (their language, sentiment, mapping)
-- leaves the customers' voices as they were.
DROP TRIGGER feedback_version ON feedback;

CREATE TRIGGER feedback_version AFTER INSERT OR UPDATE OF at, customer, kind, nps, csat OR DELETE ON feedback
	FOR EACH STATEMENT EXECUTE FUNCTION saydo_feedback_version();
