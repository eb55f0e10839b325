-- Nothing to do here: this store's MergeSummaries has always registered
-- the summary ids it creates in summary_fingerprints, whose primary key
-- is in byte order (BINARY), so SummaryIDs reads a range of it. The
-- PostgreSQL migration of this name brings that store to the same state.
SELECT 1;
