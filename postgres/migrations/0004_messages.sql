-- Messages: every version of every canned message.

-- variables is a JSON array; stored_at is when the version was stored.
CREATE TABLE messages (
	id         text COLLATE "C" NOT NULL,
	version    integer NOT NULL,
	path       text NOT NULL DEFAULT '',
	channel    text NOT NULL DEFAULT '',
	department text NOT NULL DEFAULT '',
	stage      text NOT NULL DEFAULT '',
	lang       text NOT NULL DEFAULT '',
	"trigger"  text NOT NULL DEFAULT '',
	variables  text NOT NULL DEFAULT '[]',
	body       text NOT NULL,
	body_line  integer NOT NULL DEFAULT 0,
	stored_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (id, version)
);
