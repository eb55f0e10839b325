package postgres

import (
	"testing"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/storetest"
)

// TestContentRekey: a store written when rows without an id were keyed by
// content and line is re-keyed once, reading a few rows at a time.
func TestContentRekey(t *testing.T) {
	defer func(n int) { rekeyPage = n }(rekeyPage)
	rekeyPage = 3
	open := opener(freshDSN(t))
	st := open(t).(*Store)
	unkey := func(t *testing.T) {
		execAll(t, st,
			`UPDATE observations SET key = ~key WHERE source_id IS NULL`,
			`UPDATE pooled_observations SET key = ~key WHERE source_id IS NULL`,
			`INSERT INTO counters (name, value) VALUES ('content_rekey', 1) ON CONFLICT (name) DO NOTHING`,
		)
		st.Close()
	}
	storetest.RunContentRekey(t, st, unkey, open)
}

// TestFeedbackRekey: a store written when feedback without an id was
// keyed by content and line is re-keyed once, reading a few rows at a
// time.
func TestFeedbackRekey(t *testing.T) {
	defer func(n int) { rekeyPage = n }(rekeyPage)
	rekeyPage = 3
	open := opener(freshDSN(t))
	st := open(t).(*Store)
	unkey := func(t *testing.T) {
		execAll(t, st,
			`UPDATE feedback SET key = ~key & 9223372036854775807 WHERE source_id IS NULL`,
			`INSERT INTO counters (name, value) VALUES ('feedback_rekey', 1) ON CONFLICT (name) DO NOTHING`,
		)
		st.Close()
	}
	storetest.RunFeedbackRekey(t, st, unkey, open)
}

// TestContactRekey: a store written when contacts without an id were
// keyed by content and line is re-keyed once, its packs built again.
func TestContactRekey(t *testing.T) {
	open := opener(freshDSN(t))
	st := open(t).(*Store)
	unkey := func(t *testing.T) {
		execAll(t, st, `UPDATE contacts SET key = ~key & 9223372036854775807 WHERE source_id IS NULL`, `DELETE FROM contact_packs`)
		st.Close()
		old := open(t).(*Store) // packs the old keys, as a store before 0073 holds them
		execAll(t, old, `INSERT INTO counters (name, value) VALUES ('contact_rekey', 1) ON CONFLICT (name) DO NOTHING`)
		old.Close()
	}
	storetest.RunContactRekey(t, st, unkey, open)
}

// opener returns what opens the store at dsn, again and again.
func opener(dsn string) func(t *testing.T) saydo.Store {
	return func(t *testing.T) saydo.Store {
		st, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}

// execAll runs statements on the store's pool, as a store before a
// migration would have written its rows.
func execAll(t *testing.T, st *Store, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := st.pool.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}
