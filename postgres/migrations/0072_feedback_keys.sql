-- Feedback without a source id was keyed by its content and its line in
-- the file, so the same items in another order, or an export that
-- overlaps the last one, were stored twice. It is now keyed by what the
-- item says and its occurrence (saydo.FeedbackKey): how many equal items
-- came before it in the input.
--
-- The keys are hashes computed in Go, so Go re-keys the stored items
-- (postgres/feedback.go, rekeyFeedback) in the migrating transaction
-- while this mark is set, and clears it there: done exactly once.
INSERT INTO counters (name, value) VALUES ('feedback_rekey', 1) ON CONFLICT (name) DO NOTHING;
