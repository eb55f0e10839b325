package ledger_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/postgres"
	"github.com/saydo/saydo/postgres/pgtest"
	"github.com/saydo/saydo/sqlite"
)

func openStore(t *testing.T) saydo.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "saydo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openPostgres opens a store in a fresh database of the PostgreSQL
// server SAYDO_TEST_POSTGRES names (call pgtest.DSN first to skip without
// one).
func openPostgres(t *testing.T) saydo.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), pgtest.FreshDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func workspace() *saydo.Workspace {
	return &saydo.Workspace{
		Company:     "Test",
		Departments: []saydo.Department{{ID: "care"}},
		Promises: []saydo.Promise{
			{ID: "answer", Metric: "wait", Owner: "care", Period: saydo.Week,
				Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}},
			{ID: "answer-north", Metric: "wait", Owner: "care", Period: saydo.Week, Where: map[string]string{"region": "north"},
				Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}},
		},
	}
}

type rejects struct{ lines []int64 }

func (r *rejects) Reject(row *saydo.Row, reason string) error {
	r.lines = append(r.lines, row.Line)
	return nil
}

func ingest(t *testing.T, st saydo.Store, ws *saydo.Workspace, data string, opts ledger.IngestOptions) (*ledger.IngestResult, *rejects) {
	t.Helper()
	rr, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rj := &rejects{}
	opts.Rejects = rj
	res, err := ledger.IngestObservations(context.Background(), st, ws, rr, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, rj
}

// Monday 2026-01-05 and Monday 2026-01-12 start two ISO weeks.
const sample = `metric,value,at,region
wait,30,2026-01-05T08:00:00Z,north
wait,200,2026-01-05T09:00:00Z,north
wait,90,2026-01-06T09:00:00Z,south
wait,abc,2026-01-06T10:00:00Z,south
wait,100,2026-02-30,south
speed,5,2026-01-06T10:00:00Z,south
wait,60,2026-01-12T10:00:00Z,north
wait,,2026-01-12T10:00:00Z,north
wait,500,2026-01-13T10:00:00Z,south
`

func TestIngestAccountsForEveryRow(t *testing.T) {
	st, ws := openStore(t), workspace()
	res, rj := ingest(t, st, ws, sample, ledger.IngestOptions{})
	if got, want := [4]int64{res.Read, res.Accepted, res.Rejected, res.Duplicates}, [4]int64{9, 5, 4, 0}; got != want {
		t.Fatalf("read, accepted, rejected, duplicates = %v, want %v", got, want)
	}
	// Header is line 1: abc is line 5, Feb 30 line 6, unknown metric line 7, empty value line 9.
	if got, want := rj.lines, []int64{5, 6, 7, 9}; !equal(got, want) {
		t.Errorf("rejected lines = %v, want %v", got, want)
	}
	res2, _ := ingest(t, st, ws, sample, ledger.IngestOptions{})
	if got, want := [4]int64{res2.Read, res2.Accepted, res2.Rejected, res2.Duplicates}, [4]int64{9, 0, 4, 5}; got != want {
		t.Errorf("second import: read, accepted, rejected, duplicates = %v, want %v", got, want)
	}
}

func TestStrictStoresNothingOnReject(t *testing.T) {
	st, ws := openStore(t), workspace()
	res, _ := ingest(t, st, ws, sample, ledger.IngestOptions{Strict: true})
	if res.Committed || res.Accepted != 0 {
		t.Errorf("committed=%v accepted=%d, want nothing stored", res.Committed, res.Accepted)
	}
	// Every row is still accounted for: the ones not rejected are counted
	// as not stored.
	if res.Rejected == 0 || res.NotStored != res.Read-res.Rejected || res.Read != res.Accepted+res.Rejected+res.Duplicates+res.Replaced+res.NotStored {
		t.Errorf("strict rollback accounting: %+v, want read = rejected + not stored", res)
	}
	_, _, n, err := st.ObservationSpan(context.Background(), "wait")
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("store has %d observations after a rejected strict import, want 0", n)
	}
}

func TestGapReportFromImportedRows(t *testing.T) {
	st, ws := openStore(t), workspace()
	ingest(t, st, ws, sample, ledger.IngestOptions{})
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	all := rep.Promises[0]
	// Week of Jan 5: waits 30, 200, 90 -> 2 of 3 within 120 s.
	// Week of Jan 12: waits 60, 500 -> 1 of 2.
	if len(all.Periods) != 2 {
		t.Fatalf("periods = %d, want 2", len(all.Periods))
	}
	for i, want := range []struct{ n, met int64 }{{3, 2}, {2, 1}} {
		if got := all.Periods[i]; got.N != want.n || got.Met != want.met {
			t.Errorf("period %d: n, met = %d, %d, want %d, %d", i, got.N, got.Met, want.n, want.met)
		}
	}
	if got, want := all.Periods[0].Mean, (30.0+200+90)/3; math.Abs(got-want) > 1e-9 {
		t.Errorf("mean = %v, want %v", got, want)
	}
	// The data stop mid-week: the second week is partial, so the verdict
	// comes from the first, and the second is shown as in progress.
	if !all.Periods[1].Partial || all.Periods[0].Partial {
		t.Errorf("partial = %v, %v; want the second week only", all.Periods[0].Partial, all.Periods[1].Partial)
	}
	if got, want := all.Latest.Gap, 0.9-2.0/3; math.Abs(got-want) > 1e-9 {
		t.Errorf("latest gap = %v, want %v (the first, complete week)", got, want)
	}
	if all.Current == nil || math.Abs(all.Current.Gap-0.4) > 1e-9 {
		t.Errorf("current = %+v, want the partial second week, gap 0.4", all.Current)
	}
	north := rep.Promises[1]
	// where region=north: week 1 has 30, 200; week 2 has 60.
	if got := [2]int64{north.Periods[0].N, north.Periods[1].N}; got != [2]int64{2, 1} {
		t.Errorf("north n per week = %v, want [2 1]", got)
	}
}

func TestSummariesFollowPromiseChanges(t *testing.T) {
	st, ws := openStore(t), workspace()
	ingest(t, st, ws, sample, ledger.IngestOptions{})
	if _, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	// Loosen the threshold: 200 now meets it in week 1 (3 of 3).
	ws.Promises[0].Objective.Value = 250
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Promises[0].Periods[0].Met; got != 3 {
		t.Errorf("met after changing the threshold = %d, want 3", got)
	}
}

func TestBreakdownByAttribute(t *testing.T) {
	st, ws := openStore(t), workspace()
	ingest(t, st, ws, sample, ledger.IngestOptions{})
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer", By: "region", Period: saydo.Month}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	for _, s := range rep.Promises[0].Breakdown {
		got[s.Value] = [2]int64{s.Periods[0].N, s.Periods[0].Met}
	}
	// January: north 30, 200, 60 (2 met); south 90, 500 (1 met).
	want := map[string][2]int64{"north": {3, 2}, "south": {2, 1}}
	if len(got) != len(want) || got["north"] != want["north"] || got["south"] != want["south"] {
		t.Errorf("breakdown = %v, want %v", got, want)
	}
}

func TestMissingColumnFailsOnce(t *testing.T) {
	st, ws := openStore(t), workspace()
	rr, err := csv.NewReader(strings.NewReader("metric,at\nwait,2026-01-05\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ledger.IngestObservations(context.Background(), st, ws, rr, ledger.IngestOptions{})
	if err == nil || !strings.Contains(err.Error(), "missing column value") {
		t.Errorf("err = %v, want it to name the missing column value", err)
	}
}

func TestMapAndSet(t *testing.T) {
	st, ws := openStore(t), workspace()
	res, _ := ingest(t, st, ws, "q_time,started\n30,2026-01-05\n300,2026-01-05\n", ledger.IngestOptions{
		Map: map[string]string{"value": "q_time", "at": "started"},
		Set: map[string]string{"metric": "wait"},
	})
	if res.Accepted != 2 || res.Rejected != 0 {
		t.Errorf("accepted, rejected = %d, %d, want 2, 0", res.Accepted, res.Rejected)
	}
}

func TestSetTemplates(t *testing.T) {
	st, ws := openStore(t), workspace()
	res, rj := ingest(t, st, ws, "year,month,day,arr_delay,carrier,tailnum\n2013,1,9,11,UA,N14228\n2013,1,,20,AA,N24211\n", ledger.IngestOptions{
		Attrs: []string{"carrier"},
		Map:   map[string]string{"value": "arr_delay"},
		Set:   map[string]string{"metric": "wait", "at": "{year}-{month}-{day}"},
	})
	if res.Accepted != 1 || res.Rejected != 1 || len(rj.lines) != 1 || rj.lines[0] != 3 {
		t.Errorf("accepted %d, rejected %d at lines %v; want 1, 1 at line 3 (no day)", res.Accepted, res.Rejected, rj.lines)
	}
	var got []saydo.Observation
	st.ScanObservations(context.Background(), "wait", time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(o *saydo.Observation) error {
		c := *o
		c.Attrs = append(saydo.Attrs(nil), o.Attrs...)
		got = append(got, c)
		return nil
	})
	// The template's columns are used up; --attrs keeps carrier, not tailnum.
	if len(got) != 1 || !got[0].At.Equal(time.Date(2013, 1, 9, 0, 0, 0, 0, time.UTC)) || len(got[0].Attrs) != 1 || got[0].Attrs[0].Name != "carrier" {
		t.Errorf("stored %+v, want one observation at 2013-01-09 with only the carrier attribute", got)
	}
	rr, _ := csv.NewReader(strings.NewReader("a\n1\n"))
	_, err := ledger.IngestObservations(context.Background(), st, ws, rr, ledger.IngestOptions{Set: map[string]string{"at": "{nope}"}})
	if err == nil || !strings.Contains(err.Error(), "{nope}: no such column") {
		t.Errorf("err = %v, want {nope}: no such column", err)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMergedSummariesMatchRebuild imports in small batches, with
// overlapping files so some statements are partly duplicates, and checks
// that the summaries kept at import equal those rebuilt from raw rows.
func TestMergedSummariesMatchRebuild(t *testing.T) {
	st, ws := openStore(t), workspace()
	ctx := context.Background()
	var a, b strings.Builder
	a.WriteString("metric,value,at,region\n")
	b.WriteString("metric,value,at,region\n")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		line := fmt.Sprintf("wait,%d,%s,%s\n", (i*7919)%400, start.Add(time.Duration(i)*17*time.Minute).Format(time.RFC3339),
			[]string{"north", "south"}[i%2])
		if i < 2000 {
			a.WriteString(line)
		}
		if i >= 1000 || i%3 == 0 {
			b.WriteString(line) // overlaps a: same lines at other line numbers are new rows; keyed by line
		}
	}
	ingest(t, st, ws, a.String(), ledger.IngestOptions{BatchSize: 333})
	ingest(t, st, ws, b.String(), ledger.IngestOptions{BatchSize: 251})
	ingest(t, st, ws, a.String(), ledger.IngestOptions{BatchSize: 97}) // all duplicates
	q := ledger.GapQuery{Period: saydo.Day}
	merged, err := ledger.GapReport(ctx, st, ws, q, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ws.Promises {
		if err := st.PutSummaries(ctx, p.ID, "stale", nil, true); err != nil {
			t.Fatal(err)
		}
	}
	rebuilt, err := ledger.GapReport(ctx, st, ws, q, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range merged.Promises {
		r := rebuilt.Promises[i]
		if len(p.Periods) != len(r.Periods) || len(p.Periods) < 30 {
			t.Fatalf("%s: %d merged periods, %d rebuilt", p.ID, len(p.Periods), len(r.Periods))
		}
		for j, m := range p.Periods {
			w := r.Periods[j]
			if m.N != w.N || m.Met != w.Met || m.P50 != w.P50 || m.P90 != w.P90 || math.Abs(m.Mean-w.Mean) > 1e-9 {
				t.Errorf("%s %s: merged n %d met %d mean %g p50 %g p90 %g; rebuilt n %d met %d mean %g p50 %g p90 %g",
					p.ID, m.Start.Format(time.DateOnly), m.N, m.Met, m.Mean, m.P50, m.P90, w.N, w.Met, w.Mean, w.P50, w.P90)
			}
		}
	}
}

func TestParseGapQuery(t *testing.T) {
	tests := []struct {
		name    string
		opts    map[string]string
		from    string // want, as YYYY-MM-DD; "" for zero
		to      string // exclusive
		period  saydo.Period
		wantErr string
	}{
		{"empty", nil, "", "", "", ""},
		{"to is inclusive", map[string]string{"from": "2026-01-01", "to": "2026-01-31", "period": "month"}, "2026-01-01", "2026-02-01", saydo.Month, ""},
		{"bad date", map[string]string{"from": "2026-02-30"}, "", "", "", `from "2026-02-30": want a date as YYYY-MM-DD`},
		{"reversed", map[string]string{"from": "2026-03-01", "to": "2026-02-01"}, "", "", "", "to 2026-02-01 is before from 2026-03-01"},
		{"bad period", map[string]string{"period": "fortnight"}, "", "", "", "period: unknown period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ledger.ParseGapQuery(func(k string) string { return tt.opts[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			day := func(t time.Time) string {
				if t.IsZero() {
					return ""
				}
				return t.Format(time.DateOnly)
			}
			if day(q.From) != tt.from || day(q.To) != tt.to || q.Period != tt.period {
				t.Errorf("from %s to %s period %q, want %s %s %q", day(q.From), day(q.To), q.Period, tt.from, tt.to, tt.period)
			}
		})
	}
}

func TestSequentialIngestMatchesPipelined(t *testing.T) {
	for _, seq := range []bool{false, true} {
		st, ws := openStore(t), workspace()
		res, rj := ingest(t, st, ws, sample, ledger.IngestOptions{Sequential: seq, BatchSize: 2})
		if got, want := [4]int64{res.Read, res.Accepted, res.Rejected, res.Duplicates}, [4]int64{9, 5, 4, 0}; got != want {
			t.Errorf("sequential=%v: read, accepted, rejected, duplicates = %v, want %v", seq, got, want)
		}
		if got, want := rj.lines, []int64{5, 6, 7, 9}; !equal(got, want) {
			t.Errorf("sequential=%v: rejected lines = %v, want %v", seq, got, want)
		}
		rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Promises[0].Periods[0].N + rep.Promises[0].Periods[1].N; got != 5 {
			t.Errorf("sequential=%v: %d observations in the report, want 5", seq, got)
		}
	}
}

// TestSinceUntil: a promise counts only observations on the days it holds,
// both ends included, and changing its dates rebuilds its summaries.
func TestSinceUntil(t *testing.T) {
	st, ws := openStore(t), workspace()
	p := &ws.Promises[0]
	p.Since = time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)
	p.Until = time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	ingest(t, st, ws, sample, ledger.IngestOptions{})
	count := func() int64 {
		t.Helper()
		rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer", Period: saydo.Month}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, pg := range rep.Promises[0].Periods {
			n += pg.N
		}
		return n
	}
	// Valid rows: Jan 5 (30, 200), Jan 6 (90), Jan 12 (60), Jan 13 (500).
	// Jan 6 through Jan 12 inclusive: 90 and 60.
	if got := count(); got != 2 {
		t.Errorf("since Jan 6 until Jan 12: %d observations, want 2", got)
	}
	p.Until = time.Time{}
	if got := count(); got != 3 {
		t.Errorf("since Jan 6, no until: %d observations, want 3", got)
	}
	p.Since = time.Time{}
	if got := count(); got != 5 {
		t.Errorf("no dates: %d observations, want 5", got)
	}
}

// cancelAfter cancels its context once n rows have been read.
type cancelAfter struct {
	saydo.RowReader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Next() (saydo.Row, error) {
	if c.n--; c.n < 0 {
		c.cancel()
	}
	return c.RowReader.Next()
}

func TestInterruptedImportReportsWhatItKept(t *testing.T) {
	for _, seq := range []bool{false, true} {
		st, ws := openStore(t), workspace()
		var b strings.Builder
		b.WriteString("metric,value,at\n")
		for i := range 5000 {
			fmt.Fprintf(&b, "wait,%d,2026-01-05T00:00:%02dZ\n", i, i%60)
		}
		rr, err := csv.NewReader(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		res, err := ledger.IngestObservations(ctx, st, ws, &cancelAfter{rr, 2500, cancel}, ledger.IngestOptions{BatchSize: 1000, Sequential: seq})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("sequential=%v: err = %v, want context.Canceled", seq, err)
		}
		_, _, stored, err := st.ObservationSpan(context.Background(), "wait")
		if err != nil {
			t.Fatal(err)
		}
		if res.Accepted != stored || stored%1000 != 0 {
			t.Errorf("sequential=%v: reported %d accepted, store holds %d; want equal, whole batches", seq, res.Accepted, stored)
		}
		// On one goroutine the batches before the cancel are committed.
		if seq && stored != 2000 {
			t.Errorf("sequential: store holds %d, want the 2 batches read before the cancel", stored)
		}
	}
}

// TestBreakdownByMissingAttribute: a --by attribute that no observation
// carries (a typo) is refused with a message, not reported as one "(none)"
// segment per promise.
func TestBreakdownByMissingAttribute(t *testing.T) {
	st, ws := openStore(t), workspace()
	ingest(t, st, ws, sample, ledger.IngestOptions{})
	_, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{By: "regoin", Period: saydo.Month}, time.Now())
	var le *saydo.LimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), `"regoin"`) {
		t.Errorf("GapReport by a missing attribute: err = %v, want a *saydo.LimitError naming it", err)
	}
	// With no evidence at all there is nothing to check: no error.
	if _, err := ledger.GapReport(context.Background(), openStore(t), ws, ledger.GapQuery{By: "regoin", Period: saydo.Month}, time.Now()); err != nil {
		t.Errorf("GapReport by an attribute on an empty store: %v, want no error", err)
	}
}

// TestBreakdownIsDeterministic: the same evidence gives the same
// breakdown to the last digit, however often it is computed (the days of a
// segment were merged in map order, so means differed in their last bits
// from one report to the next, and so did the API's ETag).
func TestBreakdownIsDeterministic(t *testing.T) {
	st, ws := openStore(t), workspace()
	var b strings.Builder
	b.WriteString("metric,value,at,region\n")
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 600 {
		fmt.Fprintf(&b, "wait,%.1f,%s,%s\n", 60+float64(i%97)*1.1, start.Add(time.Duration(i)*150*time.Minute).Format(time.RFC3339), []string{"north", "south", "east"}[i%3])
	}
	ingest(t, st, ws, b.String(), ledger.IngestOptions{})
	var first []byte
	for i := range 8 {
		rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer", By: "region", Period: saydo.Month}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(rep.Promises[0].Breakdown)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = got
		} else if !bytes.Equal(got, first) {
			t.Fatalf("report %d's breakdown differs from the first:\n%s\n%s", i+1, got, first)
		}
	}
}
