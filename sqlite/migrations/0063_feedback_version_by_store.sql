-- The store moves the 'feedback' version itself, once per import
-- transaction that inserted or replaced an item (feedbackTx.Commit):
-- migration 0060's per-row triggers made feedback imports about three
-- times slower. Re-analysing stored items (their language, sentiment,
-- mapping) leaves it alone, as 0062 decided: outcome linkage does not
-- read the analysis. The delete trigger stays (nothing deletes feedback
-- in bulk).
DROP TRIGGER feedback_version_insert;
DROP TRIGGER feedback_version_update;
