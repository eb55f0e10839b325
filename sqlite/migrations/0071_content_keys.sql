-- Observations without a source id were keyed by their content and their
-- line in the file, so the same rows in another order, or an export that
-- overlaps the last one, were stored twice. They are now keyed by their
-- content and occurrence (saydo.ObservationKey): how many equal rows came
-- before them in the input.
--
-- The keys are hashes computed in Go, so Go re-keys the stored rows
-- (sqlite/observation.go, rekeyContent) while this mark is set, and clears
-- it in the same transaction: done exactly once, and again after a crash.
INSERT OR IGNORE INTO counters (name, value) VALUES ('content_rekey', 1);
