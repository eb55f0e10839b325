-- Feedback without a source id was keyed by its content and its line in
-- the file, so the same items in another order, or an export that
-- overlaps the last one, were stored twice. It is now keyed by what the
-- item says and its occurrence (saydo.FeedbackKey): how many equal items
-- came before it in the input.
--
-- The keys are hashes computed in Go, so Go re-keys the stored items
-- (sqlite/feedback.go, rekeyFeedback) while this mark is set, and clears
-- it in the same transaction: done exactly once, and again after a crash.
INSERT OR IGNORE INTO counters (name, value) VALUES ('feedback_rekey', 1);
