package postgres

import (
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestMigrateIdentities: a store written before migration 0023 keeps its
// ids in observation_ids, keyed by a hash of the id; the migration moves
// them to observation_sources, so a correction still replaces the stored
// row.
func TestMigrateIdentities(t *testing.T) {
	dsn := freshDSN(t)
	ctx := t.Context()
	st, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	a := saydo.Observation{Metric: "wait", SourceID: "call-1", At: at, Value: 30}
	a.Key = saydo.ObservationKey(&a, 0)
	b := saydo.Observation{Metric: "wait", SourceID: "call-2", At: at.Add(time.Minute), Value: 40}
	b.Key = saydo.ObservationKey(&b, 0)
	tx, err := st.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert([]saydo.Observation{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// Put the store back as 0022 left it: a's id in observation_ids (b's
	// entry missing, as for a row whose entry was lost), 0023 not applied.
	for _, q := range []string{
		`DROP TABLE observation_sources`,
		`CREATE TABLE observation_ids (metric_id bigint NOT NULL, key bigint NOT NULL, at bigint NOT NULL, PRIMARY KEY (metric_id, key))`,
		`INSERT INTO observation_ids SELECT metric_id, key, at FROM observations WHERE source_id = 'call-1'`,
		`DELETE FROM schema_migrations WHERE version = 23`,
	} {
		if _, err := st.pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	st.Close()

	st, err = Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var id string
	var got, n int64
	if err := st.pool.QueryRow(ctx, `SELECT source_id, at, count(*) OVER () FROM observation_sources`).Scan(&id, &got, &n); err != nil ||
		id != "call-1" || got != at.UnixMilli() || n != 1 {
		t.Errorf("migrated ids: %q at %d of %d (%v), want only call-1 at %d", id, got, n, err, at.UnixMilli())
	}
	// a moved to the next day: one observation, replaced.
	a2 := a
	a2.At = at.AddDate(0, 0, 1)
	tx, err = st.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ins, err := tx.Insert([]saydo.Observation{a2})
	if err != nil {
		t.Fatal(err)
	}
	if r := tx.Replaced(); ins != 0 || r != 1 {
		t.Errorf("correction after the migration: inserted %d, replaced %d; want 0, 1", ins, r)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, _, n, err := st.ObservationSpan(ctx, "wait"); err != nil || n != 2 {
		t.Errorf("ObservationSpan: n = %d (%v), want 2", n, err)
	}
}
