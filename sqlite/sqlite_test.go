package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/storetest"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "sub", "saydo.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) saydo.Store { return openTest(t) })
}

func TestOpenMigratesOnce(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "a", "b", "saydo.db")
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(ms) {
			t.Errorf("Open #%d: got %d recorded migrations, want %d", i+1, n, len(ms))
		}
		s.Close()
	}
}

func TestPragmas(t *testing.T) {
	s := openTest(t)
	defer s.Close()
	tests := []struct {
		db     string
		pragma string
		want   string
	}{
		{"writer", "journal_mode", "wal"},
		{"writer", "synchronous", "1"},
		{"writer", "foreign_keys", "1"},
		{"writer", "busy_timeout", "30000"},
		{"writer", "page_size", "16384"},
		{"writer", "wal_autocheckpoint", "4096"},
		{"reader", "foreign_keys", "1"},
		{"reader", "busy_timeout", "30000"},
		{"reader", "query_only", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.db+" "+tt.pragma, func(t *testing.T) {
			db := s.w
			if tt.db == "reader" {
				db = s.r
			}
			var got string
			if err := db.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PRAGMA %s: got %q, want %q", tt.pragma, got, tt.want)
			}
		})
	}
}

// TestConcurrentScansColdCache runs more scans at once than the read pool
// has connections, each needing segment lookups: none may wait forever.
func TestConcurrentScansColdCache(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "saydo.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	data := benchObservations(5000)
	tx, err := s.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert(data); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path) // cold caches
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const scans = 16
	errs := make(chan error, scans)
	for i := range scans {
		go func() {
			// Each scan holds its row while the next one starts.
			errs <- s.ScanObservations(ctx, benchMetrics[i%len(benchMetrics)], time.Time{}, time.Time{}, func(*saydo.Observation) error {
				time.Sleep(time.Microsecond)
				return nil
			})
		}()
	}
	timeout := time.After(30 * time.Second)
	for range scans {
		select {
		case err := <-errs:
			if err != nil {
				t.Errorf("scan: %v", err)
			}
		case <-timeout:
			t.Fatal("concurrent scans did not finish in 30s")
		}
	}
}

func TestAlertConformance(t *testing.T) {
	storetest.RunAlerts(t, func(t *testing.T) interface {
		saydo.AlertStore
		Close() error
	} {
		return openTest(t)
	})
}

func TestAccessConformance(t *testing.T) {
	storetest.RunAccess(t, func(t *testing.T) storetest.AccessStore { return openTest(t) })
}
