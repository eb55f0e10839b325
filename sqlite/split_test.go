package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestSplitObservations: rows an earlier version kept in the shared
// observations table move to their metric's own table when the store opens.
func TestSplitObservations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "saydo.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Write as the earlier version did: a metric, and its rows in the
	// shared table, with no table of its own.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).UnixMilli()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO metrics (id, name, n) VALUES (7, 'wait', 2)`, nil},
		{`INSERT INTO segments (id, attrs) VALUES (1, 'region=north')`, nil},
		{`INSERT INTO observations (metric_id, at, key, value, segment_id) VALUES (7, ?, 1, 30, 1), (7, ?, 2, 200, 1)`, []any{at, at + 1000}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	db.Close()

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var got []float64
	err = st.ScanObservations(ctx, "wait", time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(o *saydo.Observation) error {
		if v, _ := o.Attrs.Get("region"); v != "north" {
			t.Errorf("attrs %v, want region=north", o.Attrs)
		}
		got = append(got, o.Value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != 30 || got[1] != 200 {
		t.Errorf("after reopening: values %v, want [30 200]", got)
	}
	var left int
	if err := st.r.QueryRowContext(ctx, `SELECT count(*) FROM observations`).Scan(&left); err != nil || left != 0 {
		t.Errorf("shared table keeps %d rows (%v), want 0", left, err)
	}
}
