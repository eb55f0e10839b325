package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/storetest"
)

// TestContentRekey: a store written when rows without an id were keyed by
// content and line is re-keyed once, reading a few rows at a time.
func TestContentRekey(t *testing.T) {
	defer func(n int) { rekeyPage = n }(rekeyPage)
	rekeyPage = 3
	ctx := context.Background()
	open := opener(filepath.Join(t.TempDir(), "saydo.db"))
	st := open(t).(*Store)
	unkey := func(t *testing.T) {
		ids, err := st.unkeyQueries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		execAll(t, st, append(ids, `UPDATE pooled_observations SET key = ~key WHERE source_id IS NULL`,
			`INSERT OR IGNORE INTO counters (name, value) VALUES ('content_rekey', 1)`)...)
		st.Close()
	}
	storetest.RunContentRekey(t, st, unkey, open)
}

// unkeyQueries returns an UPDATE per metric that changes the keys of
// its rows without a source id.
func (s *Store) unkeyQueries(ctx context.Context) ([]string, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := metricIDs(ctx, tx)
	var qs []string
	for _, id := range ids {
		qs = append(qs, `UPDATE `+obsTable(id)+` SET key = ~key WHERE source_id IS NULL`)
	}
	return qs, err
}

// TestFeedbackRekey: a store written when feedback without an id was
// keyed by content and line is re-keyed once.
func TestFeedbackRekey(t *testing.T) {
	open := opener(filepath.Join(t.TempDir(), "saydo.db"))
	st := open(t).(*Store)
	unkey := func(t *testing.T) {
		execAll(t, st, `UPDATE feedback SET key = ~key & 0x7fffffffffffffff WHERE source_id IS NULL`,
			`INSERT OR IGNORE INTO counters (name, value) VALUES ('feedback_rekey', 1)`)
		st.Close()
	}
	storetest.RunFeedbackRekey(t, st, unkey, open)
}

// TestContactRekey: a store written when contacts without an id were
// keyed by content and line is re-keyed once, its packs built again.
func TestContactRekey(t *testing.T) {
	open := opener(filepath.Join(t.TempDir(), "saydo.db"))
	st := open(t).(*Store)
	unkey := func(t *testing.T) {
		execAll(t, st, `UPDATE contacts SET key = ~key & 0x7fffffffffffffff WHERE source_id IS NULL`, `DELETE FROM contact_packs`)
		st.Close()
		old := open(t).(*Store) // packs the old keys, as a store before 0073 holds them
		execAll(t, old, `INSERT OR IGNORE INTO counters (name, value) VALUES ('contact_rekey', 1)`)
		old.Close()
	}
	storetest.RunContactRekey(t, st, unkey, open)
}

// opener returns what opens the store at path, again and again.
func opener(path string) func(t *testing.T) saydo.Store {
	return func(t *testing.T) saydo.Store {
		st, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}

// execAll runs statements on the store's writer, as a store before a
// migration would have written its rows.
func execAll(t *testing.T, st *Store, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := st.w.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
}
