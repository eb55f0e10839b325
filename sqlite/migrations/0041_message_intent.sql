-- What a message means to the customer (saydo.Intent), from its front
-- matter; '' when not said.
ALTER TABLE messages ADD COLUMN intent TEXT NOT NULL DEFAULT '';
