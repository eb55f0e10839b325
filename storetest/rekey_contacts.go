package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
)

// rekeyContactRows are contacts without a source id (equal ones among
// them, several customers at one time, several days and months) and one
// with an id.
var rekeyContactRows = []string{
	",ana,2026-01-05T08:00:00Z,sales,email,offer",
	",ana,2026-01-05T08:00:00Z,sales,email,offer",
	",bob,2026-01-05T08:00:00Z,sales,email,offer",
	",ana,2026-01-05T08:00:00.250Z,care,sms,service",
	"k1,ana,2026-01-05T09:00:00Z,care,sms,service",
	",cid,2026-01-06T10:00:00Z,collections,sms,warning",
	",cid,2026-01-06T10:00:00Z,collections,sms,warning",
	",cid,2026-01-06T10:00:00Z,collections,sms,warning",
	",bob,2026-02-20T10:00:00Z,care,phone,resolution",
}

func rekeyContactImport(t *testing.T, st saydo.Store, rows []string) *ledger.IngestResult {
	t.Helper()
	ws := &saydo.Workspace{Company: "Test", Departments: []saydo.Department{{ID: "sales"}, {ID: "care"}, {ID: "collections"}}}
	rr, err := csv.NewReader(strings.NewReader("id,customer,at,department,channel,intent\n" + strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ledger.IngestContacts(context.Background(), st, ws, nil, rr, ledger.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 0 {
		t.Fatalf("%d rows of the fixture rejected: %+v", res.Rejected, res.FirstRejects)
	}
	return res
}

// storedContacts lists the stored contacts with their keys, from the
// table and from the packs.
func storedContacts(t *testing.T, st saydo.Store) (table, packs []string) {
	t.Helper()
	ctx := context.Background()
	if err := st.ScanContacts(ctx, time.Time{}, time.Time{}, func(c *saydo.Contact) error {
		table = append(table, fmt.Sprintf("%016x %s %d %s", c.Key, c.Customer, c.At.UnixMilli(), c.Intent))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	kinds, err := st.ContactKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []saydo.PackedContact
	if err := st.ScanContactPacks(ctx, 0, 1<<40, func(bucket int, month int64, ps [][]byte) error {
		if out, err = saydo.DecodeContactMonth(month, ps, kinds, out); err != nil {
			return err
		}
		for _, c := range out {
			packs = append(packs, fmt.Sprintf("%016x %s %d %s", c.Key, c.Customer, c.At, c.Kind.Intent))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(table)
	slices.Sort(packs)
	return table, packs
}

// RunContactRekey checks migration 0073 on a store. st is a fresh store;
// unkey gives its contacts without a source id other keys, in the table
// and in the packs, as a store from before the migration has, sets the
// migration's mark and closes st; reopen opens the same store again.
// After reopening, the table and the packs hold the keys an import gives
// the same contacts, so importing them again in another order adds
// nothing, and one more equal contact adds one.
func RunContactRekey(t *testing.T, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	if res := rekeyContactImport(t, st, rekeyContactRows); res.Accepted != int64(len(rekeyContactRows)) {
		t.Fatalf("first import: %d accepted of %d", res.Accepted, len(rekeyContactRows))
	}
	wantTable, wantPacks := storedContacts(t, st)
	if !slices.Equal(wantTable, wantPacks) {
		t.Fatalf("the packs differ from the table before any re-key:\ntable %q\npacks %q", wantTable, wantPacks)
	}
	unkey(t)
	st = reopen(t)
	defer func() { st.Close() }()
	table, packs := storedContacts(t, st)
	if !slices.Equal(table, wantTable) {
		t.Errorf("contacts after re-keying differ from the importer's:\n got %q\nwant %q", table, wantTable)
	}
	if !slices.Equal(packs, wantTable) {
		t.Errorf("packs after re-keying differ from the importer's:\n got %q\nwant %q", packs, wantTable)
	}
	reversed := slices.Clone(rekeyContactRows)
	slices.Reverse(reversed)
	if res := rekeyContactImport(t, st, reversed); res.Accepted != 0 {
		t.Errorf("the same contacts reversed after re-keying: %d accepted, want 0", res.Accepted)
	}
	if res := rekeyContactImport(t, st, append(slices.Clone(rekeyContactRows), rekeyContactRows[5])); res.Accepted != 1 {
		t.Errorf("one equal contact more: %d accepted, want 1", res.Accepted)
	}
}
