-- Pre-aggregated evidence in day summaries (issue 8).

-- counted: experiences known only by a count (rows with n and met or
-- missed), which have no value and are left out of mean and m2; pooled:
-- experiences from pre-aggregated rows of any kind (a period holding any is
-- complete). See saydo.Summary.
ALTER TABLE summaries ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE summaries ADD COLUMN pooled INTEGER NOT NULL DEFAULT 0;
