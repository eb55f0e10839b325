package sqlite

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/storetest"
)

func insertTestContacts(t *testing.T, s *Store, cs []saydo.Contact) {
	t.Helper()
	tx, err := s.BeginContacts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert(cs); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func testContactsOfDays(n, days int) []saydo.Contact {
	var cs []saydo.Contact
	for i := range n {
		cs = append(cs, saydo.Contact{Key: uint64(i + 1), Customer: fmt.Sprint("c", i%97), Department: "care", Channel: "sms", Intent: saydo.IntentService,
			At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%days)})
	}
	return cs
}

func countCustomerContacts(t *testing.T, s *Store, customer string) int {
	t.Helper()
	got, err := s.CustomerContacts(t.Context(), customer, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return len(got)
}

// TestContactFiltersAcrossStores: a store that has read the filters sees
// contacts another process imported afterwards.
func TestContactFiltersAcrossStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "saydo.db")
	a, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	insertTestContacts(t, a, testContactsOfDays(970, 10))
	if got := countCustomerContacts(t, a, "c5"); got != 10 {
		t.Fatalf("c5: %d contacts, want 10", got)
	}
	insertTestContacts(t, b, []saydo.Contact{{Key: 1, Customer: "c5", Department: "care", Channel: "sms", Intent: saydo.IntentOffer,
		At: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}, {Key: 2, Customer: "new", Department: "care", Channel: "sms", Intent: saydo.IntentOffer,
		At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}})
	if got := countCustomerContacts(t, a, "c5"); got != 11 {
		t.Errorf("c5 after another store's import: %d contacts, want 11", got)
	}
	if got := countCustomerContacts(t, a, "new"); got != 1 {
		t.Errorf("new after another store's import: %d contacts, want 1", got)
	}
}

// reopenedWithContacts opens a new store, imports testContactsOfDays(970,
// 10), runs then (SQL making it look older, or ""), and returns the store
// opened again, closed when the test ends.
func reopenedWithContacts(t *testing.T, then string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "saydo.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	insertTestContacts(t, s, testContactsOfDays(970, 10))
	if then != "" {
		if _, err := s.w.ExecContext(t.Context(), then); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestContactFiltersBuiltOnUpgrade: a store whose contacts predate the
// filters (migration 0043) gets them built when it is opened.
func TestContactFiltersBuiltOnUpgrade(t *testing.T) {
	// As a store from before 0043: contacts, no filters.
	s := reopenedWithContacts(t, `DELETE FROM contact_filters`)
	var days int
	if err := s.r.QueryRowContext(t.Context(), `SELECT count(*) FROM contact_filters`).Scan(&days); err != nil || days != 10 {
		t.Fatalf("filters after reopening: %d days, %v; want 10", days, err)
	}
	for _, c := range []string{"c0", "c96"} {
		if got := countCustomerContacts(t, s, c); got != 10 {
			t.Errorf("%s: %d contacts, want 10", c, got)
		}
	}
}

// TestContactPacksBuiltOnUpgrade: a store whose contacts predate the
// packs (migration 0044) gets them built when it is opened.
func TestContactPacksBuiltOnUpgrade(t *testing.T) {
	s := reopenedWithContacts(t, `DELETE FROM contact_packs`)
	if got := storetest.CheckContactPacks(t, s); len(got) != 970 {
		t.Errorf("%d contacts, want 970", len(got))
	}
}

// TestCustomerHistoryColdKinds: many concurrent checks on a store just
// opened (no contact kinds cached) all need the kinds at once; none may
// wait for a connection of the pool its own read holds.
func TestCustomerHistoryColdKinds(t *testing.T) {
	s := reopenedWithContacts(t, "")
	// One check first reads the days' filters (and its contacts the long
	// way): the checks after read in one statement and need the kinds.
	if _, _, err := s.CustomerHistory(t.Context(), "c1", time.Time{}, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// The pool at its smallest: a read that waited for a second connection
	// would wait for ever.
	s.r.SetMaxOpenConns(1)
	n := 8 * max(4, runtime.GOMAXPROCS(0))
	errs := make(chan error, n)
	for i := range n {
		go func() {
			// Five days: read in one statement (at most maxHistoryDays).
			from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			cs, _, err := s.CustomerHistory(t.Context(), fmt.Sprint("c", i%97), from, from, from.AddDate(0, 0, 5))
			if err == nil && len(cs) != 5 {
				err = fmt.Errorf("c%d: %d contacts, want 5", i%97, len(cs))
			}
			errs <- err
		}()
	}
	deadline := time.After(30 * time.Second)
	for range n {
		select {
		case err := <-errs:
			if err != nil {
				t.Error(err)
			}
		case <-deadline:
			t.Fatal("concurrent CustomerHistory calls did not return in 30 s")
		}
	}
}
