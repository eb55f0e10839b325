-- Observations: the raw evidence, clustered by metric and time.

-- n counts the metric's observations, kept by the inserting transaction so
-- ObservationSpan needs no scan.
CREATE TABLE metrics (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	n    INTEGER NOT NULL DEFAULT 0
);

-- A segment is one distinct set of attributes (saydo.Attrs.Canonical()).
CREATE TABLE segments (
	id    INTEGER PRIMARY KEY,
	attrs TEXT NOT NULL UNIQUE
);

-- at is Unix milliseconds (UTC); key is saydo.Observation.Key as a signed
-- 64-bit integer. No foreign keys on this table: they would cost two index
-- lookups per inserted row, and only this package writes it.
CREATE TABLE observations (
	metric_id  INTEGER NOT NULL,
	at         INTEGER NOT NULL,
	key        INTEGER NOT NULL,
	value      REAL,
	segment_id INTEGER NOT NULL,
	customer   TEXT,
	source_id  TEXT,
	PRIMARY KEY (metric_id, at, key)
) WITHOUT ROWID;

-- Days (days since the Unix epoch, UTC) whose observations changed since
-- they were last summarised; seq orders the marks for ClearDirty.
CREATE TABLE dirty (
	metric_id INTEGER NOT NULL,
	day       INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	PRIMARY KEY (metric_id, day)
) WITHOUT ROWID;

-- Named monotonic counters; 'dirty' hands out dirty-day marks.
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES ('dirty', 0);
