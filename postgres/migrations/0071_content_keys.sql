-- Observations without a source id were keyed by their content and their
-- line in the file, so the same rows in another order, or an export that
-- overlaps the last one, were stored twice. They are now keyed by their
-- content and occurrence (saydo.ObservationKey): how many equal rows came
-- before them in the input.
--
-- The keys are hashes computed in Go, so Go re-keys the stored rows
-- (postgres/observation.go, rekeyContent) in the migrating transaction
-- while this mark is set, and clears it there: done exactly once.
INSERT INTO counters (name, value) VALUES ('content_rekey', 1) ON CONFLICT (name) DO NOTHING;
