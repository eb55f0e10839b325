-- What a message means to the customer (saydo.Intent), from its front
-- matter; '' when not said.
ALTER TABLE messages ADD COLUMN intent text NOT NULL DEFAULT '';
