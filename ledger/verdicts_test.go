package ledger_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/jsonl"
	"github.com/saydo/saydo/ledger"
)

var clock = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// TestCorrectionsReplace: a corrected row (same id, other value or time)
// replaces the stored one, is counted as replaced, and the gap report and
// the segment summaries follow it.
func TestCorrectionsReplace(t *testing.T) {
	st, ws := openStore(t), workspace()
	first := "id,metric,value,at,region\n" +
		"a,wait,30,2026-01-05T10:00:00Z,north\n" +
		"b,wait,500,2026-01-06T10:00:00Z,south\n" +
		"c,wait,60,2026-01-07T10:00:00Z,south\n" +
		"d,wait,90,2026-01-12T10:00:00Z,north\n" // the next week: the first is complete
	res, _ := ingest(t, st, ws, first, ledger.IngestOptions{Now: clock})
	if res.Accepted != 4 || res.Replaced != 0 {
		t.Fatalf("first import: %+v", res)
	}
	// b was mistyped (50, not 500); c happened the week after.
	fix := "id,metric,value,at,region\n" +
		"a,wait,30,2026-01-05T10:00:00Z,north\n" +
		"b,wait,50,2026-01-06T10:00:00Z,south\n" +
		"c,wait,60,2026-01-13T10:00:00Z,south\n"
	res, _ = ingest(t, st, ws, fix, ledger.IngestOptions{Now: clock})
	if res.Accepted != 0 || res.Replaced != 2 || res.Duplicates != 1 || res.Read != res.Accepted+res.Replaced+res.Rejected+res.Duplicates {
		t.Errorf("corrections: %+v, want 2 replaced, 1 duplicate", res)
	}
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer"}, clock)
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Promises[0]
	if w := p.Periods[0]; w.N != 2 || w.Met != 2 {
		t.Errorf("week 1 after corrections: n %d met %d, want 2, 2 (30 s and 50 s)", w.N, w.Met)
	}
	if w := p.Periods[1]; w.N != 2 {
		t.Errorf("week 2 after corrections: n %d, want 2 (d and the moved c)", w.N)
	}
	// The segment summaries followed: region=south has b in week 1 only.
	_, days, err := st.Summaries(context.Background(), saydo.SegmentSummaryID("answer", "region", "south"), time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var south1 int64
	for _, d := range days {
		if d.Day.Before(time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)) {
			south1 += d.N
		}
	}
	if south1 != 1 {
		t.Errorf("region=south in week 1: n %d, want 1 after c moved", south1)
	}
}

// TestHiddenBreach: a promise kept overall and broken in one region names
// that region in broken_segments; with the breach removed, it is gone.
func TestHiddenBreach(t *testing.T) {
	st, ws := openStore(t), workspace()
	var b strings.Builder
	b.WriteString("metric,value,at,region,channel\n")
	// Four weeks; north and east answer 98% in time, south 70%; channel is
	// noise. Overall: (2·98 + 70)/3 ≈ 88.7%… so make north and east larger.
	day := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for d := range 28 {
		for i := range 300 {
			region, inTime := "north", i%50 != 0
			switch {
			case i < 40:
				region, inTime = "south", i%10 >= 3 // 70%
			case i%2 == 0:
				region = "east"
			}
			v := 60
			if !inTime {
				v = 400
			}
			fmt.Fprintf(&b, "wait,%d,%s,%s,%s\n", v, day.AddDate(0, 0, d).Add(time.Duration(i)*time.Second).Format(time.RFC3339), region, []string{"app", "phone"}[i%2])
		}
	}
	ingest(t, st, ws, b.String(), ledger.IngestOptions{Now: clock})
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer"}, clock)
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Promises[0]
	if p.Status != saydo.Kept {
		t.Fatalf("overall %s (latest %+v), want kept", p.Status, p.Latest)
	}
	if len(p.BrokenSegments) != 1 {
		t.Fatalf("broken segments %+v, want region=south only", p.BrokenSegments)
	}
	s := p.BrokenSegments[0]
	if s.Attr != "region" || s.Value != "south" || s.N != 7*40 || math.Abs(s.Delivered-0.7) > 1e-9 || s.Status != saydo.Broken ||
		!s.Start.Equal(p.Latest.Start) || !(s.AdjustedP < 0.025) || s.AdjustedP < s.PValue {
		t.Errorf("segment %+v, want region=south, n 280, 70%%, broken, Holm-adjusted p < 0.025, the promise's latest week", s)
	}
}

// TestPooledRowsReport: BTS-style monthly counts give a complete month
// with n and met from the counts, no mean or percentiles, and carrier
// segments.
func TestPooledRowsReport(t *testing.T) {
	st := openStore(t)
	ws := &saydo.Workspace{Departments: []saydo.Department{{ID: "ops"}}, Promises: []saydo.Promise{{ID: "on-time", Metric: "arrivals", Owner: "ops",
		Period: saydo.Month, Objective: saydo.Objective{Kind: saydo.AtMost, Value: 15, Share: 0.8}}}}
	data := "year,month,carrier,arr_flights,arr_del15\n" +
		"2025,11,AA,1000,150\n2025,11,B6,2000,300\n2025,11,XX,500,200\n" +
		"2025,12,AA,1000,100\n2025,12,B6,2000,200\n2025,12,XX,500,180\n"
	res, _ := ingest(t, st, ws, data, ledger.IngestOptions{Now: clock, Set: map[string]string{"metric": "arrivals", "at": "{year}-{month}-01"},
		Map: map[string]string{"n": "arr_flights", "missed": "arr_del15"}})
	if res.Accepted != 6 || res.Rejected != 0 {
		t.Fatalf("import %+v", res)
	}
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Promises[0]
	l := p.Latest
	if l == nil || l.Partial || l.DaysCovered != 31 || l.N != 3500 || l.Met != 3500-480 || !math.IsNaN(l.Mean) || !math.IsNaN(l.P50) {
		t.Fatalf("latest %+v, want December complete, n 3500, met 3020, no mean or percentiles", l)
	}
	// Overall 86.3% (kept); XX 64% of 500 is broken: a hidden breach.
	if p.Status != saydo.Kept || len(p.BrokenSegments) != 1 || p.BrokenSegments[0].Value != "XX" {
		t.Errorf("status %s, broken segments %+v; want kept, carrier=XX", p.Status, p.BrokenSegments)
	}
}

// TestPooledRowWithValue: a row giving both a value and n is refused with
// its reason, not stored as one of them with the other dropped.
func TestPooledRowWithValue(t *testing.T) {
	st, ws := openStore(t), workspace()
	res, rj := ingest(t, st, ws, "metric,value,at,n,met\nwait,30,2026-01-05,,\nwait,30,2026-01-06,10,9\nwait,,2026-01-07,10,9\n", ledger.IngestOptions{Now: clock})
	if res.Accepted != 2 || res.Rejected != 1 || !slices.Equal(rj.lines, []int64{3}) ||
		!strings.Contains(res.FirstRejects[0].Reason, `value "30" and n "10"`) {
		t.Errorf("import %+v, rejects %v; want line 3 rejected for value and n", res, rj.lines)
	}
}

// TestTooManyValues: an attribute with more values than
// saydo.MaxSegmentValues (an agent id) gets no segment summaries, and is
// marked so; the low-cardinality one beside it keeps them, at import and
// after a full rebuild.
func TestTooManyValues(t *testing.T) {
	for _, rebuild := range []bool{false, true} {
		st, ws := openStore(t), workspace()
		var b strings.Builder
		b.WriteString("metric,value,at,region,agent\n")
		for i := range 400 {
			fmt.Fprintf(&b, "wait,%d,2026-01-%02dT10:%02d:00Z,%s,agent-%d\n", 30+i%200, 5+i%14, i%60, []string{"north", "south"}[i%2], i%40)
		}
		ingest(t, st, ws, b.String(), ledger.IngestOptions{Now: clock})
		if rebuild {
			ws.Promises[0].Objective.Value = 100 // a new fingerprint: Refresh rebuilds from raw rows
		}
		if err := ledger.Refresh(context.Background(), st, ws); err != nil {
			t.Fatal(err)
		}
		ids, err := st.SummaryIDs(context.Background(), saydo.SegmentPrefix("answer"))
		if err != nil {
			t.Fatal(err)
		}
		var agents, regions int
		marked := false
		for _, id := range ids {
			_, attr, _, marker, _ := saydo.ParseSegmentID(id)
			switch {
			case marker && attr == "agent":
				marked = true
			case attr == "agent":
				agents++
			case attr == "region":
				regions++
			}
		}
		if agents != 0 || !marked || regions != 2 {
			t.Errorf("rebuild %v: %d agent segments (marked %v), %d region segments; want 0, marked, 2 (%q)", rebuild, agents, marked, regions, ids)
		}
	}
}

// TestJSONLinesKeysChange: JSON Lines rows with as many keys as the row
// before but other ones (missed after met, channel after region) are read
// by their own keys, not the previous row's.
func TestJSONLinesKeysChange(t *testing.T) {
	st := openStore(t)
	ws := &saydo.Workspace{Departments: []saydo.Department{{ID: "ops"}}, Promises: []saydo.Promise{{ID: "on-time", Metric: "arrivals", Owner: "ops",
		Period: saydo.Month, Objective: saydo.Objective{Kind: saydo.AtMost, Value: 15, Share: 0.8}}}}
	data := `{"metric":"arrivals","n":100,"met":80,"at":"2025-11-01","carrier":"AA"}
{"metric":"arrivals","n":100,"missed":30,"at":"2025-12-01","airport":"JFK"}
`
	res, err := ledger.IngestObservations(context.Background(), st, ws, jsonl.NewReader(strings.NewReader(data)), ledger.IngestOptions{Now: clock})
	if err != nil || res.Accepted != 2 {
		t.Fatalf("import %+v, %v", res, err)
	}
	var got []string
	err = st.ScanObservations(context.Background(), "arrivals", time.Time{}, time.Time{}, func(o *saydo.Observation) error {
		got = append(got, fmt.Sprintf("%d/%d %s", o.Met, o.Count, o.Attrs.Canonical()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"80/100 carrier=AA", "70/100 airport=JFK"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

// TestDayInProgress: evidence that reaches the clock's own day leaves that
// day, and the week holding it, in progress: five hours of a bad morning
// do not set a day promise's verdict (it stays the last complete day's),
// and the days before count as complete. Evidence further ahead of the
// clock than an import accepts (a demo's year read before it ends) is
// judged by the data alone.
func TestDayInProgress(t *testing.T) {
	st, ws := openStore(t), workspace()
	ws.Promises[0].Period = saydo.Day
	now := time.Date(2026, 3, 5, 5, 12, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("metric,value,at\n")
	for d := 1; d <= 4; d++ { // 1–4 March: kept, every answer in 60 s
		for m := 0; m < 1440; m += 60 {
			fmt.Fprintf(&b, "wait,60,%s\n", time.Date(2026, 3, d, 0, m, 0, 0, time.UTC).Format(time.RFC3339))
		}
	}
	for m := 0; m < 300; m += 10 { // the clock's morning: every answer late
		fmt.Fprintf(&b, "wait,300,%s\n", time.Date(2026, 3, 5, 0, m, 0, 0, time.UTC).Format(time.RFC3339))
	}
	ingest(t, st, ws, b.String(), ledger.IngestOptions{Now: now})
	for _, tc := range []struct {
		name   string
		period saydo.Period
		now    time.Time
		latest string // the period that sets the verdict
		status saydo.Status
		inProg string // the period in progress, "" for none
		days   int    // its days covered
	}{
		{"day, at 05:12", saydo.Day, now, "2026-03-04", saydo.Kept, "2026-03-05", 0},
		{"day, the next day", saydo.Day, now.AddDate(0, 0, 1), "2026-03-05", saydo.Broken, "", 0},
		{"week, at 05:12", saydo.Week, now, "2026-02-23", saydo.Kept, "2026-03-02", 3},
		{"day, a clock far behind the evidence", saydo.Day, now.AddDate(0, 0, -10), "2026-03-05", saydo.Broken, "", 0},
	} {
		rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{Promise: "answer", Period: tc.period}, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		p := rep.Promises[0]
		latest := ""
		if p.Latest != nil {
			latest = p.Latest.Start.Format(time.DateOnly)
		}
		if latest != tc.latest || p.Status != tc.status {
			t.Errorf("%s: latest %q, status %s; want %q, %s", tc.name, latest, p.Status, tc.latest, tc.status)
		}
		inProg, days := "", 0
		if p.Current != nil {
			inProg, days = p.Current.Start.Format(time.DateOnly), p.Current.DaysCovered
		}
		if inProg != tc.inProg || days != tc.days {
			t.Errorf("%s: in progress %q with %d days; want %q with %d", tc.name, inProg, days, tc.inProg, tc.days)
		}
	}
}

// TestSetNotAField: --set of a name that is no field is an error before
// any row, as --map's is: it was dropped without a word, so --set
// region=north stored no region.
func TestSetNotAField(t *testing.T) {
	st, ws := openStore(t), workspace()
	rr, err := csv.NewReader(strings.NewReader("metric,value,at\nwait,30,2026-01-05\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ledger.IngestObservations(context.Background(), st, ws, rr, ledger.IngestOptions{Now: clock, Set: map[string]string{"region": "north"}})
	if err == nil || !strings.Contains(err.Error(), `--set region: "region" is not a field`) {
		t.Errorf("--set region=north: %v, want an error naming it", err)
	}
	if _, _, n, _ := st.ObservationSpan(context.Background(), "wait"); n != 0 {
		t.Errorf("%d observations stored", n)
	}
}

// TestTimeLayoutWithoutDate: a time layout naming no part of a date is
// refused before any row, for every kind and front end, instead of
// rejecting each row with the same reason.
func TestTimeLayoutWithoutDate(t *testing.T) {
	st, ws := openStore(t), workspace()
	rr, err := csv.NewReader(strings.NewReader("metric,value,at\nwait,30,2026-01-05\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ledger.IngestObservations(context.Background(), st, ws, rr, ledger.IngestOptions{Now: clock, TimeLayout: "garbage"})
	if err == nil || !strings.Contains(err.Error(), `--time-layout "garbage" names no part of a date or time`) || res.Read != 0 {
		t.Errorf("layout garbage: %+v, %v; want an error before any row", res, err)
	}
}
