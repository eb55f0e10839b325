-- Pre-aggregated evidence in day summaries (issue 8).

-- counted: experiences known only by a count (rows with n and met or
-- missed), which have no value and are left out of mean and m2; pooled:
-- experiences from pre-aggregated rows of any kind. See saydo.Summary.
ALTER TABLE summaries ADD COLUMN counted bigint NOT NULL DEFAULT 0;
ALTER TABLE summaries ADD COLUMN pooled bigint NOT NULL DEFAULT 0;
