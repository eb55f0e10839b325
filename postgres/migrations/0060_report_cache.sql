-- Reports that are costly to compute (outcome linkage: every customer's
-- experiences joined with their feedback), kept until the evidence they
-- were computed from changes. A cache: deleting its rows loses nothing.
CREATE TABLE report_cache (
	name    text PRIMARY KEY,
	version text NOT NULL,
	body    bytea NOT NULL
);

-- 'feedback' changes whenever feedback rows are inserted, updated or
-- deleted, so cached reports that read feedback know they are stale. One
-- increment per statement (SQLite's trigger counts rows): the number only
-- has to change.
INSERT INTO counters (name, value) VALUES ('feedback', 0);

CREATE FUNCTION saydo_feedback_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'feedback';
	RETURN NULL;
END;
$$;

CREATE TRIGGER feedback_version AFTER INSERT OR UPDATE OR DELETE ON feedback
	FOR EACH STATEMENT EXECUTE FUNCTION saydo_feedback_version();
