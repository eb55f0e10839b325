-- Ids are identities: where each observation that carries a source id is
-- stored, so a row with the same id and another time or value replaces it
-- (a correction) instead of adding a second observation. Rows without an id
-- are keyed by their content and need no entry. key is saydo.Observation.Key
-- (derived from the metric and the id); at is Unix milliseconds.
CREATE TABLE observation_ids (
	metric_id INTEGER NOT NULL,
	key       INTEGER NOT NULL,
	at        INTEGER NOT NULL,
	PRIMARY KEY (metric_id, key)
) WITHOUT ROWID;
