package postgres

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/postgres/pgtest"
	"github.com/saydo/saydo/storetest"
)

func testDSN(t testing.TB) string  { return pgtest.DSN(t) }
func freshDSN(t testing.TB) string { return pgtest.FreshDSN(t) }

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), freshDSN(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) saydo.Store { return openTest(t) })
}

// TestMigrationNames fails when the two stores' migrations differ by
// name, so no table added to one can be forgotten in the other.
func TestMigrationNames(t *testing.T) {
	got, err := MigrationNames()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("../sqlite/migrations")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			want = append(want, e.Name())
		}
	}
	for _, n := range want {
		if !slices.Contains(got, n) {
			t.Errorf("sqlite/migrations/%s has no postgres/migrations/%s: translate it", n, n)
		}
	}
	for _, n := range got {
		if !slices.Contains(want, n) {
			t.Errorf("postgres/migrations/%s has no sqlite/migrations/%s", n, n)
		}
	}
}

func TestOpenMigratesOnce(t *testing.T) {
	dsn := freshDSN(t)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		s, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		var n int
		if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(ms) {
			t.Errorf("Open #%d: got %d recorded migrations, want %d", i+1, n, len(ms))
		}
		s.Close()
	}
}

func TestAccessConformance(t *testing.T) {
	testDSN(t)
	storetest.RunAccess(t, func(t *testing.T) storetest.AccessStore { return openTest(t) })
}

func TestAlertConformance(t *testing.T) {
	testDSN(t)
	storetest.RunAlerts(t, func(t *testing.T) interface {
		saydo.AlertStore
		Close() error
	} {
		return openTest(t)
	})
}

// TestExclusively: while one store runs a job, another store on the same
// schema (another server) does not; once it is done, it can.
func TestExclusively(t *testing.T) {
	dsn := freshDSN(t)
	a, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var inner bool
	ran, err := a.Exclusively(t.Context(), "alerts", func(ctx context.Context) error {
		var err error
		inner, err = b.Exclusively(ctx, "alerts", func(context.Context) error { return nil })
		return err
	})
	if err != nil || !ran || inner {
		t.Errorf("nested: outer ran %v, inner ran %v (%v); want true, false", ran, inner, err)
	}
	if ran, err := b.Exclusively(t.Context(), "alerts", func(context.Context) error { return nil }); err != nil || !ran {
		t.Errorf("after the first finished: ran %v, %v; want true", ran, err)
	}
	if ran, err := b.Exclusively(t.Context(), "other", func(context.Context) error { return nil }); err != nil || !ran {
		t.Errorf("another job: ran %v, %v; want true", ran, err)
	}
}
