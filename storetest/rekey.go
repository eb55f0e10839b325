package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
)

// rekeyRows are observations of every kind a store keeps without a source
// id (single, with a customer, with attributes, equal to each other,
// pre-aggregated counts and means), one with an id, and five equal rows in
// one millisecond, so a store reading a few rows at a time meets a
// millisecond longer than its page.
var rekeyRows = []string{
	",wait,30,2026-01-05T08:00:00Z,,,,,,north",
	",wait,30,2026-01-05T08:00:00Z,,,,,,north",
	",wait,30,2026-01-05T08:00:00Z,,,,,,south",
	",wait,40,2026-01-05T08:00:00.123Z,c1,,,,,south",
	",wait,40,2026-01-05T08:00:00.123Z,c2,,,,,",
	"w1,wait,50,2026-01-05T09:00:00Z,,,,,,north",
	",wait,,2026-01-06T00:00:00Z,,10,7,,,north",
	",wait,,2026-01-06T00:00:00Z,,10,7,,,north",
	",wait,,2026-01-07T00:00:00Z,,20,,95.5,12.25,south",
	",speed,5,2026-01-08T10:00:00Z,,,,,,east",
	",speed,5,2026-01-08T10:00:00Z,,,,,,east",
	",speed,5,2026-01-08T10:00:00Z,,,,,,east",
	",speed,5,2026-01-08T10:00:00Z,,,,,,east",
	",speed,5,2026-01-08T10:00:00Z,,,,,,east",
	",speed,6,2026-01-08T10:00:01Z,,,,,,east",
}

func rekeyImport(t *testing.T, st saydo.Store, rows []string) *ledger.IngestResult {
	t.Helper()
	ws := &saydo.Workspace{Company: "Test", Departments: []saydo.Department{{ID: "care"}}, Promises: []saydo.Promise{
		{ID: "answer", Metric: "wait", Owner: "care", Period: saydo.Week, Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}},
		{ID: "fast", Metric: "speed", Owner: "care", Period: saydo.Week, Objective: saydo.Objective{Kind: saydo.AtMost, Value: 10, Share: 0.9}},
	}}
	rr, err := csv.NewReader(strings.NewReader("id,metric,value,at,customer,n,met,mean,sd,region\n" + strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ledger.IngestObservations(context.Background(), st, ws, rr, ledger.IngestOptions{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 0 {
		t.Fatalf("%d rows of the fixture rejected: %+v", res.Rejected, res.FirstRejects)
	}
	return res
}

func storedKeys(t *testing.T, st saydo.Store) []uint64 {
	t.Helper()
	var keys []uint64
	for _, m := range []string{"wait", "speed"} {
		if err := st.ScanObservations(context.Background(), m, time.Time{}, time.Time{}, func(o *saydo.Observation) error {
			keys = append(keys, o.Key)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(keys)
	return keys
}

// RunContentRekey checks migration 0071 on a store. st is a fresh store;
// unkey gives its rows without a source id other keys, as a store from
// before the migration has, sets the migration's mark and closes st;
// reopen opens the same store again. After reopening, the store holds the
// keys an import gives the same rows, so importing them again in another
// order adds nothing, and one more equal row adds one; opening it once
// more changes nothing.
func RunContentRekey(t *testing.T, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	if res := rekeyImport(t, st, rekeyRows); res.Accepted != int64(len(rekeyRows)) {
		t.Fatalf("first import: %d accepted of %d", res.Accepted, len(rekeyRows))
	}
	want := storedKeys(t, st)
	unkey(t)
	st = reopen(t)
	if got := storedKeys(t, st); !slices.Equal(got, want) {
		t.Errorf("keys after re-keying differ from the importer's:\n got %x\nwant %x", got, want)
	}
	reversed := slices.Clone(rekeyRows)
	slices.Reverse(reversed)
	if res := rekeyImport(t, st, reversed); res.Accepted != 0 || res.Replaced != 0 {
		t.Errorf("the same rows reversed after re-keying: %d accepted, %d replaced; want 0", res.Accepted, res.Replaced)
	}
	if res := rekeyImport(t, st, append(slices.Clone(rekeyRows), rekeyRows[0])); res.Accepted != 1 {
		t.Errorf("one equal row more: %d accepted, want 1", res.Accepted)
	}
	want = storedKeys(t, st)
	st.Close()
	st = reopen(t)
	defer st.Close()
	if got := storedKeys(t, st); !slices.Equal(got, want) {
		t.Errorf("a second opening changed the keys")
	}
}
