package postgres

import (
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestMigrateIdentities: a store written before migration 0023 keeps its
// ids in observation_ids, keyed by a hash of the id; the migration indexes
// the observations by id instead, so a correction still replaces the
// stored row, and keeps only the recorded row of an id stored twice.
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
	// Put the store back as 0022 left it: the ids in observation_ids, 0023
	// not applied; and a second, unrecorded row with a's id two days later
	// (which 0022 could not tell from a new observation).
	for _, q := range []string{
		`DROP INDEX observations_source`,
		`CREATE TABLE observation_ids (metric_id bigint NOT NULL, key bigint NOT NULL, at bigint NOT NULL, PRIMARY KEY (metric_id, key))`,
		`INSERT INTO observation_ids SELECT metric_id, key, at FROM observations`,
		`INSERT INTO observations (metric_id, at, key, value, segment_id, source_id)
			SELECT metric_id, at + 2 * 86400000, key + 1, 99, segment_id, source_id FROM observations WHERE source_id = 'call-1'`,
		`UPDATE metrics SET n = n + 1`,
		`DELETE FROM dirty`,
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
	var got []float64
	if err := st.ScanObservations(ctx, "wait", time.Time{}, time.Time{}, func(o *saydo.Observation) error {
		got = append(got, o.Value)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != 30 || got[1] != 40 {
		t.Errorf("after the migration: values %v, want [30 40] (the unrecorded second row of call-1 gone)", got)
	}
	days, _, err := st.DirtyDays(ctx, "wait")
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 1 || !days[0].Equal(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dirty days %v, want the removed row's day, 2026-03-04", days)
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
