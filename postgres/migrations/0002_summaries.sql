-- Summaries: per-promise, per-day condensed evidence (a rebuildable cache).

-- day is days since the Unix epoch (UTC); sketch is saydo.Sketch.MarshalBinary.
CREATE TABLE summaries (
	promise_id text NOT NULL,
	day        bigint NOT NULL,
	n          bigint NOT NULL,
	met        bigint NOT NULL,
	mean       double precision,
	m2         double precision,
	min        double precision,
	max        double precision,
	sketch     bytea,
	PRIMARY KEY (promise_id, day)
);

CREATE TABLE summary_fingerprints (
	promise_id  text PRIMARY KEY,
	fingerprint text NOT NULL
);
