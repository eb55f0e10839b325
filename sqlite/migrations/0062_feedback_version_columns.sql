-- The feedback version (0060) is moved by the store once per writing
-- transaction (sqlite/feedback.go), which costs one update per batch
-- instead of one per row: the per-row triggers of 0060 made feedback
-- imports several times slower.
DROP TRIGGER feedback_version_insert;
DROP TRIGGER feedback_version_update;
DROP TRIGGER feedback_version_delete;
