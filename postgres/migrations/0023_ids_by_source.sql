-- Ids are identities (0022), now keyed by the id itself rather than by a
-- hash of it, so ids imported together are stored together: ids that
-- follow time (auto-increment numbers, ticket numbers, ULIDs, UUIDv7,
-- dated references) append at the end of each metric's key range instead
-- of landing all over the index (issue 12, item 4). The observation's key
-- stays saydo.Observation.Key, derived from the metric and the id, so
-- only where the id is stored (at, Unix milliseconds) needs keeping.
CREATE TABLE observation_sources (
	metric_id bigint NOT NULL,
	source_id text COLLATE "C" NOT NULL,
	at        bigint NOT NULL,
	PRIMARY KEY (metric_id, source_id)
);

-- Each recorded id, with its text from the observation it points to (an
-- entry whose observation is gone is dropped: the next row with that id
-- is stored anew, as before).
INSERT INTO observation_sources (metric_id, source_id, at)
SELECT i.metric_id, o.source_id, i.at
FROM observation_ids i
JOIN observations o ON o.metric_id = i.metric_id AND o.at = i.at AND o.key = i.key
WHERE o.source_id IS NOT NULL
ORDER BY 1, 2
ON CONFLICT DO NOTHING;

DROP TABLE observation_ids;
