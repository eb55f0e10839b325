-- SQLite re-keys its per-metric ids tables here so that numbered ids sort
-- in number order (sqlite/migrations/0024_ids_in_number_order.sql). The
-- PostgreSQL store keeps its ids in the unique index observations_source
-- (0023), unchanged: the same migration name on both stores.
SELECT 1;
