-- The mentions of each item are in feedback.promises, and per-promise voice
-- is read from voice_days: nothing reads feedback_mentions, and writing it
-- cost a third of a feedback import.
DROP TABLE feedback_mentions;
