-- Ids are identities (0022), now found by the id itself rather than by a
-- hash of it: a partial unique index on observations (metric_id,
-- source_id) says where each observation with an id is stored, and keeps
-- an id to one observation of its metric. It replaces observation_ids:
-- one index entry per row instead of a second table, and ids imported
-- together are stored together, so ids that follow time (auto-increment
-- numbers, ticket numbers, ULIDs, UUIDv7, dated references) append at the
-- end of each metric's key range instead of landing all over a hashed
-- index (issue 12, item 4). A first import then copies rows straight into
-- observations, the index refusing any id already stored (postgres/
-- identity.go).

-- Every row with an id is recorded in observation_ids, so no two rows of
-- a metric share an id; should any, the one observation_ids points to is
-- kept (a correction of the id would have replaced the other), the others
-- go, their metric's count follows and their days are marked for new
-- summaries.
CREATE TEMP TABLE saydo_0023_gone (metric_id bigint, at bigint) ON COMMIT DROP;

WITH ranked AS (
	SELECT o.ctid AS tid,
		row_number() OVER (PARTITION BY o.metric_id, o.source_id ORDER BY (i.key IS NULL), o.at DESC, o.key) AS r
	FROM observations o
	LEFT JOIN observation_ids i ON i.metric_id = o.metric_id AND i.key = o.key AND i.at = o.at
	WHERE o.source_id IS NOT NULL
), gone AS (
	DELETE FROM observations o USING ranked r WHERE o.ctid = r.tid AND r.r > 1
	RETURNING o.metric_id, o.at
)
INSERT INTO saydo_0023_gone SELECT metric_id, at FROM gone;

UPDATE metrics m SET n = m.n - g.c
FROM (SELECT metric_id, count(*) AS c FROM saydo_0023_gone GROUP BY metric_id) g
WHERE m.id = g.metric_id;

UPDATE counters SET value = value + 1 WHERE name = 'dirty' AND EXISTS (SELECT 1 FROM saydo_0023_gone);

INSERT INTO dirty (metric_id, day, seq)
SELECT DISTINCT metric_id, floor(at / 86400000.0)::bigint, (SELECT value FROM counters WHERE name = 'dirty')
FROM saydo_0023_gone
ON CONFLICT (metric_id, day) DO UPDATE SET seq = excluded.seq;

CREATE UNIQUE INDEX observations_source ON observations (metric_id, source_id COLLATE "C") WHERE source_id IS NOT NULL;

DROP TABLE observation_ids;
