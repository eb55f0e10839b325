-- Ids are identities: where each observation that carries a source id is
-- stored, so a row with the same id and another time or value replaces it
-- (a correction) instead of adding a second observation. key is
-- saydo.Observation.Key; at is Unix milliseconds.
CREATE TABLE observation_ids (
	metric_id bigint NOT NULL,
	key       bigint NOT NULL,
	at        bigint NOT NULL,
	PRIMARY KEY (metric_id, key)
);
