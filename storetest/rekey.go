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
	return ingestCSV(t, "id,metric,value,at,customer,n,met,mean,sd,region", rows, func(rr saydo.RowReader) (*ledger.IngestResult, error) {
		return ledger.IngestObservations(context.Background(), st, ws, rr, ledger.IngestOptions{TempDir: t.TempDir()})
	})
}

// ingestCSV imports a CSV of a header and rows with ingest, failing the
// test on an error or a rejected row.
func ingestCSV(t *testing.T, header string, rows []string, ingest func(saydo.RowReader) (*ledger.IngestResult, error)) *ledger.IngestResult {
	t.Helper()
	rr, err := csv.NewReader(strings.NewReader(header + "\n" + strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest(rr)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 0 {
		t.Fatalf("%d rows of the fixture rejected: %+v", res.Rejected, res.FirstRejects)
	}
	return res
}

func storedKeys(t *testing.T, st saydo.Store) []string {
	t.Helper()
	var keys []string
	for _, m := range []string{"wait", "speed"} {
		if err := st.ScanObservations(context.Background(), m, time.Time{}, time.Time{}, func(o *saydo.Observation) error {
			keys = append(keys, fmt.Sprintf("%016x %s %d", o.Key, m, o.At.UnixMilli()))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(keys)
	return keys
}

// rekeyCase is a kind of row a migration re-keys, for runRekey: rows to
// import (through ingest, which fails the test on a rejected row), the
// row imported once more, and what a store holds of them (stored: keys
// with what they key, sorted).
type rekeyCase struct {
	rows   []string
	extra  string
	ingest func(t *testing.T, st saydo.Store, rows []string) *ledger.IngestResult
	stored func(t *testing.T, st saydo.Store) []string
}

// runRekey checks a re-keying migration on a store. st is a fresh store;
// unkey gives its rows without a source id other keys, as a store from
// before the migration has, sets the migration's mark and closes st;
// reopen opens the same store again. After reopening, the store holds the
// keys an import gives the same rows, so importing them again in another
// order adds nothing, and one more equal row adds one; opening it once
// more changes nothing.
func runRekey(t *testing.T, c rekeyCase, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	if res := c.ingest(t, st, c.rows); res.Accepted != int64(len(c.rows)) {
		t.Fatalf("first import: %d accepted of %d", res.Accepted, len(c.rows))
	}
	want := c.stored(t, st)
	unkey(t)
	st = reopen(t)
	if got := c.stored(t, st); !slices.Equal(got, want) {
		t.Errorf("after re-keying, the store holds other keys than the importer gave:\n got %q\nwant %q", got, want)
	}
	reversed := slices.Clone(c.rows)
	slices.Reverse(reversed)
	if res := c.ingest(t, st, reversed); res.Accepted != 0 || res.Replaced != 0 {
		t.Errorf("the same rows reversed after re-keying: %d accepted, %d replaced; want 0", res.Accepted, res.Replaced)
	}
	if res := c.ingest(t, st, append(slices.Clone(c.rows), c.extra)); res.Accepted != 1 {
		t.Errorf("one equal row more: %d accepted, want 1", res.Accepted)
	}
	want = c.stored(t, st)
	st.Close()
	st = reopen(t)
	defer st.Close()
	if got := c.stored(t, st); !slices.Equal(got, want) {
		t.Errorf("a second opening changed the keys")
	}
}

// RunContentRekey checks migration 0071 (observations) on a store, as
// runRekey says.
func RunContentRekey(t *testing.T, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	runRekey(t, rekeyCase{rows: rekeyRows, extra: rekeyRows[0], ingest: rekeyImport, stored: storedKeys}, st, unkey, reopen)
}
