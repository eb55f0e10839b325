package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/saydo/saydo"
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
	return ingestCSV(t, "id,customer,at,department,channel,intent", rows, func(rr saydo.RowReader) (*ledger.IngestResult, error) {
		return ledger.IngestContacts(context.Background(), st, ws, nil, rr, ledger.IngestOptions{})
	})
}

// storedContacts lists the stored contacts with their keys, from the
// table and from the packs, which hold the keys too.
func storedContacts(t *testing.T, st saydo.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	if err := st.ScanContacts(ctx, time.Time{}, time.Time{}, func(c *saydo.Contact) error {
		out = append(out, fmt.Sprintf("table %016x %s %d %s", c.Key, c.Customer, c.At.UnixMilli(), c.Intent))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	kinds, err := st.ContactKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var month []saydo.PackedContact
	if err := st.ScanContactPacks(ctx, 0, 1<<40, func(bucket int, m int64, ps [][]byte) error {
		if month, err = saydo.DecodeContactMonth(m, ps, kinds, month); err != nil {
			return err
		}
		for _, c := range month {
			out = append(out, fmt.Sprintf("packs %016x %s %d %s", c.Key, c.Customer, c.At, c.Kind.Intent))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// RunContactRekey checks migration 0073 (contacts) on a store, as runRekey
// says; unkey gives the packs the other keys too, and after reopening the
// packs hold the importer's keys as the table does.
func RunContactRekey(t *testing.T, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	runRekey(t, rekeyCase{rows: rekeyContactRows, extra: rekeyContactRows[5], ingest: rekeyContactImport, stored: storedContacts}, st, unkey, reopen)
}
