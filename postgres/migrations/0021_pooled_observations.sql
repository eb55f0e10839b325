-- Pre-aggregated observations: one row standing for n experiences, keyed
-- by identity: a row with the same key replaces the stored one.
--
-- at is Unix milliseconds (UTC); key is saydo.Observation.Key; met is NULL
-- for a row with a mean (and sd) instead of counts; mean is NULL for a row
-- of counts.
CREATE TABLE pooled_observations (
	metric_id  bigint NOT NULL,
	key        bigint NOT NULL,
	at         bigint NOT NULL,
	n          bigint NOT NULL,
	met        bigint,
	mean       double precision,
	sd         double precision,
	segment_id bigint NOT NULL,
	customer   text,
	source_id  text,
	PRIMARY KEY (metric_id, key)
);

CREATE INDEX pooled_observations_at ON pooled_observations (metric_id, at);
