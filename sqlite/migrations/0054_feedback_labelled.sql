-- The labelled items a classifier learns from, read at the start of every
-- feedback import and re-analysis of a workspace with labels
-- (ScanLabelledFeedback): without this index each read was a scan of every
-- stored item.
CREATE INDEX feedback_labelled ON feedback (at, key) WHERE label IS NOT NULL;
