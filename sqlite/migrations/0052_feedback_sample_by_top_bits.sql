-- Theme discovery reads a uniform sample of the feedback by key bucket.
-- The bucket is now the key's top ten bits (key >> 53) instead of its low
-- ten (key & 1023): the table is ordered by key, so the items of the first
-- buckets lie together in the file, and the index lists them in key order
-- (then time), so a sample reads a small, contiguous part of a large store
-- instead of pages scattered over all of it.
DROP INDEX feedback_sample;
CREATE INDEX feedback_sample ON feedback (target, (key >> 53), key, at);
