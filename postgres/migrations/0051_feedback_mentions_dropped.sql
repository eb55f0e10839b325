-- The mentions of each item are in feedback.promises, and per-promise voice
-- is read from voice_days: nothing reads feedback_mentions.
DROP TABLE feedback_mentions;
