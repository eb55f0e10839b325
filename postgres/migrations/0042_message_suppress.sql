-- When a message must not be sent (saydo.Message.Suppress), comma
-- separated: "complaint". '' when not said.
ALTER TABLE messages ADD COLUMN suppress text NOT NULL DEFAULT '';
