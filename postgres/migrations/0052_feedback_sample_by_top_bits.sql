-- Theme discovery reads a uniform sample of the feedback by key bucket.
-- The bucket is now the key's top ten bits (key >> 53) instead of its low
-- ten (key & 1023), as in the SQLite store, so a sample is one stretch of
-- the index in key order.
DROP INDEX feedback_sample;
CREATE INDEX feedback_sample ON feedback (target, (key >> 53), key, at);
