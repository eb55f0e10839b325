package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestMoveIdentities: a store written before migration 0023 keeps its ids
// in observation_ids, keyed by a hash of the id; opening it moves them to
// the metric's ids table, so a correction still replaces the stored row.
func TestMoveIdentities(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "saydo.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	a := saydo.Observation{Metric: "wait", SourceID: "call-1", At: at, Value: 30}
	a.Key = saydo.ObservationKey(&a, 0)
	b := saydo.Observation{Metric: "wait", SourceID: "call-2", At: at.Add(time.Minute), Value: 40}
	b.Key = saydo.ObservationKey(&b, 0)
	insert(t, st, a, b)
	mid, _, err := st.lookupMetric(ctx, "wait")
	if err != nil {
		t.Fatal(err)
	}
	// Put the store back as 0022 left it: the ids in observation_ids (only
	// a's; b's entry is missing, as for a row whose entry was lost), none
	// in ids_N, migration 0023 not applied.
	for _, q := range []string{
		`DELETE FROM ` + idsTable(mid),
		`CREATE TABLE observation_ids (metric_id INTEGER NOT NULL, key INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (metric_id, key)) WITHOUT ROWID`,
		`DELETE FROM schema_migrations WHERE version = 23`,
	} {
		if _, err := st.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := st.w.ExecContext(ctx, `INSERT INTO observation_ids VALUES (?, ?, ?)`, mid, int64(a.Key), at.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var left int
	if err := st.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name LIKE 'observation_ids%'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("old ids tables left: %d (%v), want 0", left, err)
	}
	var id string
	var got int64
	if err := st.r.QueryRowContext(ctx, `SELECT source_id, at FROM `+idsTable(mid)).Scan(&id, &got); err != nil || id != "call-1" || got != at.UnixMilli() {
		t.Errorf("moved id: %q at %d (%v), want call-1 at %d", id, got, err, at.UnixMilli())
	}
	// a moved to the next day: one observation, replaced.
	a2 := a
	a2.At = at.AddDate(0, 0, 1)
	tx, err := st.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := tx.Insert([]saydo.Observation{a2})
	if err != nil {
		t.Fatal(err)
	}
	if r := tx.Replaced(); n != 0 || r != 1 {
		t.Errorf("correction after the move: inserted %d, replaced %d; want 0, 1", n, r)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, _, n, err := st.ObservationSpan(ctx, "wait"); err != nil || n != 2 {
		t.Errorf("ObservationSpan: n = %d (%v), want 2", n, err)
	}
}

func insert(t *testing.T, st *Store, batch ...saydo.Observation) {
	t.Helper()
	tx, err := st.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert(batch); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestCloseFinalizesImportStatements: the import's statements stay
// prepared across transactions; Close finalizes them, so the last
// connection closes cleanly and checkpoints the WAL away.
func TestCloseFinalizesImportStatements(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "saydo.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for b := range 3 {
		var batch []saydo.Observation
		for i := range 700 { // a full statement and a few power-of-two ones
			o := saydo.Observation{Metric: "wait", SourceID: fmt.Sprintf("c-%d-%04d", b, i), At: at.Add(time.Duration(b*1000+i) * time.Second), Value: 1}
			o.Key = saydo.ObservationKey(&o, 0)
			batch = append(batch, o)
		}
		insert(t, st, batch...)
	}
	if len(st.raw.stmts) == 0 {
		t.Fatal("no import statement kept across transactions")
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("after Close the WAL holds %d bytes, want it checkpointed away", fi.Size())
	}
}
