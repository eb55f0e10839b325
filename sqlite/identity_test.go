package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	if err := st.r.QueryRowContext(ctx, `SELECT source_id, at FROM `+idsTable(mid)).Scan(&id, &got); err != nil || id != idKey("call-1") || got != at.UnixMilli() {
		t.Errorf("moved id: %q at %d (%v), want %q at %d", id, got, err, idKey("call-1"), at.UnixMilli())
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

// TestIDKey: the key of an id is the same computed in Go and in SQL,
// distinct ids have distinct keys, and numbered ids sort in number order.
func TestIDKey(t *testing.T) {
	ids := []string{"", "a", "1", "9", "10", "007", "7", "obs-9", "obs-10", "obs-99999", "obs-100000",
		"c-0000001", "a1b2", "a1b", "é9", "日本12", "x\t3", "01ARZ3NDEKTSV4RRFFQ69G5FAV",
		"018f4e5a-7b2c-7d3e-9f00-0123456789ab", "INV-2026-00042", "-",
		strings.Repeat("9", maxKeyDigits), strings.Repeat("9", maxKeyDigits+1), "p" + strings.Repeat("1", maxKeyDigits+5)}
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "saydo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys := map[string]string{}
	for _, id := range ids {
		var got string
		if err := st.r.QueryRowContext(t.Context(), `SELECT `+idKeySQL("?1"), id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := idKey(id); got != want {
			t.Errorf("SQL key of %q = %q, Go's %q", id, got, want)
		}
		if other, ok := keys[got]; ok {
			t.Errorf("%q and %q share the key %q", id, other, got)
		}
		keys[got] = id
	}
	for i := 1; i < 200000; i = i*3 + 1 {
		a, b := fmt.Sprintf("obs-%d", i), fmt.Sprintf("obs-%d", i*3+1)
		if idKey(a) >= idKey(b) {
			t.Errorf("key of %s >= key of %s: numbered ids out of number order", a, b)
		}
	}
}

// TestRekeyIDs: a store written before migration 0024 keyed its ids
// tables by the ids' text; opening it re-keys them (idKey), once, so a
// duplicate is still found and a correction still replaces.
func TestRekeyIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "saydo.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var rows []saydo.Observation
	for i, id := range []string{"call-9", "call-10", "ticket", "07"} {
		o := saydo.Observation{Metric: "wait", SourceID: id, At: at.Add(time.Duration(i) * time.Minute), Value: float64(30 + i)}
		o.Key = saydo.ObservationKey(&o, 0)
		rows = append(rows, o)
	}
	insert(t, st, rows...)
	mid, _, err := st.lookupMetric(ctx, "wait")
	if err != nil {
		t.Fatal(err)
	}
	// Put the ids back as 0023 keyed them: by their text.
	for _, o := range rows {
		if _, err := st.w.ExecContext(ctx, `UPDATE `+idsTable(mid)+` SET source_id = ? WHERE source_id = ?`, o.SourceID, idKey(o.SourceID)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.w.ExecContext(ctx, `INSERT OR IGNORE INTO counters (name, value) VALUES ('ids_rekey', 1)`); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for range 2 { // the second open changes nothing
		st, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		r, err := st.r.QueryContext(ctx, `SELECT source_id FROM `+idsTable(mid)+` ORDER BY source_id`)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var k string
			if err := r.Scan(&k); err != nil {
				t.Fatal(err)
			}
			got = append(got, k)
		}
		r.Close()
		want := []string{idKey("07"), idKey("call-9"), idKey("call-10"), "ticket"}
		if !slices.Equal(got, want) {
			t.Errorf("keys after re-keying: %q, want %q", got, want)
		}
		st.Close()
	}
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The same rows again are duplicates; call-10 and 07 moved are
	// corrections.
	again := slices.Clone(rows)
	again[1].At = again[1].At.AddDate(0, 0, 1)
	again[3].Value = 99
	tx, err := st.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := tx.Insert(again)
	if err != nil {
		t.Fatal(err)
	}
	if r := tx.Replaced(); n != 0 || r != 2 {
		t.Errorf("after re-keying: inserted %d, replaced %d; want 0, 2", n, r)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, _, n, err := st.ObservationSpan(ctx, "wait"); err != nil || n != 4 {
		t.Errorf("ObservationSpan: n = %d (%v), want 4", n, err)
	}
}
