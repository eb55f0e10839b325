-- Contacts without a source id were keyed by their content and their
-- line in the log, so the same contacts in another order, or an export
-- that overlaps the last one, were stored twice. They are now keyed by
-- what they were and their occurrence (saydo.ContactKey): how many
-- equal contacts came before them in the input. The packs are built again.
--
-- The keys are hashes computed in Go, so Go re-keys the stored contacts
-- (postgres/contact.go, rekeyContacts) in the migrating transaction
-- while this mark is set, and clears it there: done exactly once.
INSERT INTO counters (name, value) VALUES ('contact_rekey', 1) ON CONFLICT (name) DO NOTHING;
