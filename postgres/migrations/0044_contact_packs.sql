-- Contact packs: each import's new contacts of a day, encoded as a
-- saydo contact pack (contact_pack.go), so a report over every contact
-- (saydo journeys) reads a few blobs per day instead of a row per contact.
-- A day has one pack per import that added to it (more for a large
-- import); id orders them as they were written. Stores with contacts from
-- before this migration get theirs built once when opened.
CREATE TABLE contact_packs (
	id   bigserial PRIMARY KEY,
	day  bigint NOT NULL,
	pack bytea NOT NULL
);

CREATE INDEX contact_packs_day ON contact_packs (day, id);
