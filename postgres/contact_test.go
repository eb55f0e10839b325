package postgres

import (
	"fmt"
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

func countCustomerContacts(t *testing.T, s *Store, customer string) int {
	t.Helper()
	got, err := s.CustomerContacts(t.Context(), customer, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return len(got)
}

// TestContactFilters: a store that has read the filters sees contacts
// another store imported afterwards, and a store whose contacts predate
// the filters (migration 0043) gets them built when it is opened.
func TestContactFilters(t *testing.T) {
	dsn := freshDSN(t)
	open := func() *Store {
		s, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	var cs []saydo.Contact
	for i := range 970 {
		cs = append(cs, saydo.Contact{Key: uint64(i + 1), Customer: fmt.Sprint("c", i%97), Department: "care", Channel: "sms", Intent: saydo.IntentService,
			At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%10)})
	}
	insertTestContacts(t, a, cs)
	if got := countCustomerContacts(t, a, "c5"); got != 10 {
		t.Fatalf("c5: %d contacts, want 10", got)
	}
	insertTestContacts(t, b, []saydo.Contact{{Key: 1, Customer: "c5", Department: "care", Channel: "sms", Intent: saydo.IntentOffer,
		At: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}})
	if got := countCustomerContacts(t, a, "c5"); got != 11 {
		t.Errorf("c5 after another store's import: %d contacts, want 11", got)
	}
	if _, err := a.pool.Exec(t.Context(), `DELETE FROM contact_filters`); err != nil {
		t.Fatal(err)
	}
	c := open()
	var days int
	if err := c.pool.QueryRow(t.Context(), `SELECT count(*) FROM contact_filters`).Scan(&days); err != nil || days != 11 {
		t.Fatalf("filters after reopening: %d days, %v; want 11", days, err)
	}
	if got := countCustomerContacts(t, c, "c96"); got != 10 {
		t.Errorf("c96 after rebuilding: %d contacts, want 10", got)
	}
}

// TestContactPacksBuiltOnUpgrade: a store whose contacts predate the
// packs (migration 0044) gets them built when it is opened.
func TestContactPacksBuiltOnUpgrade(t *testing.T) {
	dsn := freshDSN(t)
	a, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var cs []saydo.Contact
	for i := range 970 {
		cs = append(cs, saydo.Contact{Key: uint64(i + 1), Customer: fmt.Sprint("c", i%97), Department: "care", Channel: "sms", Intent: saydo.IntentService,
			At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%20)})
	}
	insertTestContacts(t, a, cs)
	if _, err := a.pool.Exec(t.Context(), `DELETE FROM contact_packs`); err != nil {
		t.Fatal(err)
	}
	b, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := storetest.CheckContactPacks(t, b); len(got) != 970 {
		t.Errorf("%d contacts, want 970", len(got))
	}
}
