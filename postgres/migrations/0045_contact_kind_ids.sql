-- Contacts name their kind (department, channel, intent, message) by its
-- id in contact_kinds instead of repeating four strings a row: an import
-- copies one integer for them, and the table is smaller. Readers join
-- contact_kinds.
INSERT INTO contact_kinds (department, channel, intent, message)
	SELECT DISTINCT department, channel, intent, coalesce(message, '') FROM contacts
	ON CONFLICT DO NOTHING;

ALTER TABLE contacts ADD COLUMN kind bigint;

UPDATE contacts c SET kind = k.id FROM contact_kinds k
	WHERE k.department = c.department AND k.channel = c.channel AND k.intent = c.intent AND k.message = coalesce(c.message, '');

ALTER TABLE contacts ALTER COLUMN kind SET NOT NULL,
	DROP COLUMN department, DROP COLUMN channel, DROP COLUMN intent, DROP COLUMN message;
