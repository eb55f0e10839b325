-- Pre-aggregated observations: one row standing for n experiences, as
-- operations export them (BTS on-time tables, call-centre interval reports).
-- Few next to single observations, so one table for every metric, keyed by
-- identity: a row with the same key replaces the stored one.
--
-- at is Unix milliseconds (UTC); key is saydo.Observation.Key; met is NULL
-- for a row with a mean (and sd) instead of counts; mean is NULL for a row
-- of counts.
CREATE TABLE pooled_observations (
	metric_id  INTEGER NOT NULL,
	key        INTEGER NOT NULL,
	at         INTEGER NOT NULL,
	n          INTEGER NOT NULL,
	met        INTEGER,
	mean       REAL,
	sd         REAL,
	segment_id INTEGER NOT NULL,
	customer   TEXT,
	source_id  TEXT,
	PRIMARY KEY (metric_id, key)
) WITHOUT ROWID;

CREATE INDEX pooled_observations_at ON pooled_observations (metric_id, at);
