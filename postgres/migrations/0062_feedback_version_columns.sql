-- SQLite drops its per-row feedback version triggers here (its store moves
-- the version once per writing transaction). PostgreSQL's trigger of 0060
-- already runs once per statement, so nothing changes.
SELECT 1;
