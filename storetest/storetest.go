// Package storetest is the conformance suite every saydo.Store passes: the
// embedded SQLite store and the PostgreSQL store run the same tests, so
// commands behave the same on either.
//
// A store's tests call Run with a function that opens a fresh, empty store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) saydo.Store { return open(t) })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call; Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) saydo.Store) {
	tests := []conformance{
		{"InsertScan", testInsertScan},
		{"ScanRange", testScanRange},
		{"Duplicates", testDuplicates},
		{"Rollback", testRollback},
		{"CommitVisibility", testCommitVisibility},
		{"Span", testSpan},
		{"DirtyDays", testDirtyDays},
		{"DirtyIdempotentImport", testDirtyIdempotentImport},
		{"Summaries", testSummaries},
		{"SummarySketch", testSummarySketch},
		{"ConcurrentReader", testConcurrentReader},
		{"LargeBatch", testLargeBatch},
		{"InsertNewAndMerge", testInsertNewAndMerge},
		{"Feedback", testFeedback},
		{"FeedbackDuplicates", testFeedbackDuplicates},
		{"FeedbackRollback", testFeedbackRollback},
		{"FeedbackReplace", testFeedbackReplace},
		{"VoiceDays", testVoiceDays},
		{"SampleAndUpdate", testSampleAndUpdate},
		{"ScanFeedbackTexts", testScanFeedbackTexts},
		{"FeedbackInsertNew", testFeedbackInsertNew},
		{"FeedbackLabelled", testFeedbackLabelled},
		{"Messages", testMessages},
		{"MessagesEmpty", testMessagesEmpty},
		{"ConcurrentImports", testConcurrentImports},
		{"Metrics", testMetrics},
		{"ReportCache", testReportCache},
		{"Contacts", testContacts},
		{"ContactDuplicates", testContactDuplicates},
		{"CustomerContactsRandom", testCustomerContactsRandom},
		{"ConcurrentCustomerHistory", testConcurrentCustomerHistory},
		{"ContactRollback", testContactRollback},
		{"ContactPacks", testContactPacks},
		{"ConcurrentContactKinds", testConcurrentContactKinds},
		{"CrossedContactKinds", testCrossedContactKinds},
		{"Complaints", testComplaints},
		{"MessageIntent", testMessageIntent},
	}
	tests = append(tests, extra...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// conformance is one test of the suite.
type conformance struct {
	name string
	fn   func(t *testing.T, s saydo.Store)
}

// extra holds tests registered by the suite's other files.
var extra []conformance

// base is a Monday, 2026-03-02 00:00 UTC.
var base = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return base.AddDate(0, 0, n) }

func obs(metric string, at time.Time, key uint64, value float64) saydo.Observation {
	return saydo.Observation{Key: key, Metric: metric, At: at, Value: value}
}

// insert inserts batches in one committed transaction and returns the
// inserted count of each batch.
func insert(t *testing.T, s saydo.Store, batches ...[]saydo.Observation) []int {
	t.Helper()
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatalf("BeginObservations: %v", err)
	}
	defer tx.Rollback()
	var counts []int
	for _, b := range batches {
		n, err := tx.Insert(b)
		if err != nil {
			t.Fatalf("Insert: %v", err)
		}
		counts = append(counts, n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return counts
}

// scan returns copies of every observation of metric in [from, to).
func scan(t *testing.T, s saydo.Store, metric string, from, to time.Time) []saydo.Observation {
	t.Helper()
	var out []saydo.Observation
	err := s.ScanObservations(t.Context(), metric, from, to, func(o *saydo.Observation) error {
		c := *o
		c.Attrs = slices.Clone(o.Attrs)
		out = append(out, c)
		return nil
	})
	if err != nil {
		t.Fatalf("ScanObservations(%q): %v", metric, err)
	}
	return out
}

func sameObs(a, b saydo.Observation) bool {
	return a.Key == b.Key && a.Metric == b.Metric && a.At.Equal(b.At) &&
		(a.Value == b.Value || math.IsNaN(a.Value) && math.IsNaN(b.Value)) &&
		a.SourceID == b.SourceID && a.Customer == b.Customer &&
		slices.Equal(a.Attrs, b.Attrs)
}

func fmtObs(o saydo.Observation) string {
	return fmt.Sprintf("{key=%d metric=%s at=%s value=%v source=%q customer=%q attrs=%q}",
		o.Key, o.Metric, o.At.UTC().Format(time.RFC3339Nano), o.Value, o.SourceID, o.Customer, o.Attrs.Canonical())
}

func checkObs(t *testing.T, got, want []saydo.Observation) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d observations, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !sameObs(got[i], want[i]) {
			t.Errorf("observation %d: got %s, want %s", i, fmtObs(got[i]), fmtObs(want[i]))
		}
	}
}

func testInsertScan(t *testing.T, s saydo.Store) {
	north := attrs("channel", "phone", "region", "north")
	south := attrs("region", "south")
	batch := []saydo.Observation{
		{Key: 3, Metric: "wait", At: base.Add(3 * time.Hour), Value: 95, Attrs: north, Customer: "c-1", SourceID: "call-3"},
		{Key: 1, Metric: "wait", At: base.Add(1 * time.Hour), Value: 130.5, Attrs: south},
		{Key: 9, Metric: "late", At: base.Add(2 * time.Hour), Value: 1, Attrs: north},
		{Key: 2, Metric: "wait", At: base.Add(2*time.Hour + 250*time.Millisecond), Value: -4, Customer: "c-2"},
		// Same time as key 2: ordered by key.
		{Key: 7, Metric: "wait", At: base.Add(2*time.Hour + 250*time.Millisecond), Value: 0, Attrs: south, SourceID: "x,\"y\""},
		{Key: 4, Metric: "wait", At: day(-400), Value: 12, Attrs: attrs("ünïcode", "ș ț")},
	}
	got := insert(t, s, batch)
	if got[0] != len(batch) {
		t.Errorf("Insert: got %d inserted, want %d", got[0], len(batch))
	}
	tests := []struct {
		metric string
		want   []saydo.Observation
	}{
		{"wait", []saydo.Observation{batch[5], batch[1], batch[3], batch[4], batch[0]}},
		{"late", []saydo.Observation{batch[2]}},
		{"unknown", nil},
	}
	for _, tt := range tests {
		t.Run(tt.metric, func(t *testing.T) {
			checkObs(t, scan(t, s, tt.metric, time.Time{}, time.Time{}), tt.want)
		})
	}

	// fn's error stops the scan and comes back unchanged.
	stop := errors.New("stop")
	calls := 0
	err := s.ScanObservations(t.Context(), "wait", time.Time{}, time.Time{}, func(*saydo.Observation) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("ScanObservations with failing fn: got err %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func testScanRange(t *testing.T, s saydo.Store) {
	var batch []saydo.Observation
	for i := range 10 {
		batch = append(batch, obs("m", day(i).Add(12*time.Hour), uint64(i+1), float64(i)))
	}
	insert(t, s, batch)
	tests := []struct {
		name     string
		from, to time.Time
		want     []float64
	}{
		{"unbounded", time.Time{}, time.Time{}, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"from inclusive", day(7).Add(12 * time.Hour), time.Time{}, []float64{7, 8, 9}},
		{"to exclusive", time.Time{}, day(2).Add(12 * time.Hour), []float64{0, 1}},
		{"window", day(3), day(5), []float64{3, 4}},
		{"empty", day(20), day(30), nil},
		{"non-UTC bounds", day(3).In(time.FixedZone("EET", 2*3600)), day(4).Add(13 * time.Hour).In(time.FixedZone("X", -5*3600)), []float64{3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []float64
			for _, o := range scan(t, s, "m", tt.from, tt.to) {
				got = append(got, o.Value)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("values: got %v, want %v", got, tt.want)
			}
		})
	}
}

func testDuplicates(t *testing.T, s saydo.Store) {
	a := obs("m", base, 1, 10)
	b := obs("m", base.Add(time.Minute), 2, 20)
	c := obs("m", base.Add(2*time.Minute), 3, 30)
	d := obs("m", base.Add(3*time.Minute), 4, 40)
	e := obs("m", base.Add(4*time.Minute), 5, 50)
	aOther := obs("other", base, 1, 10) // same key and time, other metric
	aLater := obs("m", base.Add(time.Hour), 1, 10)
	tests := []struct {
		name    string
		batches [][]saydo.Observation
		want    []int
	}{
		{"within one batch", [][]saydo.Observation{{a, b, a, a, c, b}}, []int{3}},
		{"across batches", [][]saydo.Observation{{d}, {d, e}, {a, e, d}}, []int{1, 1, 0}},
		{"other metric is not a duplicate", [][]saydo.Observation{{aOther, a}}, []int{1}},
		{"same key at another time is not a duplicate", [][]saydo.Observation{{aLater}}, []int{1}},
		{"empty batch", [][]saydo.Observation{{}}, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := insert(t, s, tt.batches...)
			if !slices.Equal(got, tt.want) {
				t.Errorf("inserted per batch: got %v, want %v", got, tt.want)
			}
		})
	}
	checkObs(t, scan(t, s, "m", time.Time{}, time.Time{}), []saydo.Observation{a, b, c, d, e, aLater})
	if _, _, n, err := s.ObservationSpan(t.Context(), "m"); err != nil || n != 6 {
		t.Errorf("ObservationSpan(m): got n=%d err=%v, want 6, nil", n, err)
	}
}

func testRollback(t *testing.T, s saydo.Store) {
	insert(t, s, []saydo.Observation{obs("m", base, 1, 1)})
	if _, mark, err := s.DirtyDays(t.Context(), "m"); err != nil {
		t.Fatal(err)
	} else if err := s.ClearDirty(t.Context(), "m", mark); err != nil {
		t.Fatal(err)
	}

	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	batch := []saydo.Observation{
		obs("m", day(1), 2, 2),
		{Key: 3, Metric: "new-metric", At: day(2), Value: 3, Attrs: attrs("brand", "new")},
	}
	if n, err := tx.Insert(batch); err != nil || n != 2 {
		t.Fatalf("Insert: got %d, %v, want 2, nil", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("second Rollback: got %v, want nil", err)
	}
	if got := scan(t, s, "m", time.Time{}, time.Time{}); len(got) != 1 {
		t.Errorf("observations of m after rollback: got %d, want 1", len(got))
	}
	if got := scan(t, s, "new-metric", time.Time{}, time.Time{}); len(got) != 0 {
		t.Errorf("observations of new-metric after rollback: got %d, want 0", len(got))
	}
	for _, m := range []string{"m", "new-metric"} {
		days, _, err := s.DirtyDays(t.Context(), m)
		if err != nil || len(days) != 0 {
			t.Errorf("DirtyDays(%s) after rollback: got %v, %v, want none", m, days, err)
		}
	}
	// The store still works after a rollback that created a metric and a
	// segment: the same ones can be created again.
	insert(t, s, batch)
	checkObs(t, scan(t, s, "new-metric", time.Time{}, time.Time{}), batch[1:])
}

func testCommitVisibility(t *testing.T, s saydo.Store) {
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Insert([]saydo.Observation{obs("m", base, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	if got := scan(t, s, "m", time.Time{}, time.Time{}); len(got) != 0 {
		t.Errorf("before Commit: got %d observations visible, want 0", len(got))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := scan(t, s, "m", time.Time{}, time.Time{}); len(got) != 1 {
		t.Errorf("after Commit: got %d observations visible, want 1", len(got))
	}
	if _, err := tx.Insert([]saydo.Observation{obs("m", base, 2, 1)}); err == nil {
		t.Errorf("Insert after Commit: got nil error, want one")
	}
}

func testSpan(t *testing.T, s saydo.Store) {
	if first, last, n, err := s.ObservationSpan(t.Context(), "m"); err != nil || n != 0 || !first.IsZero() || !last.IsZero() {
		t.Errorf("empty span: got %v %v %d %v, want zero", first, last, n, err)
	}
	first, last := base.Add(1500*time.Millisecond), day(30).Add(7*time.Hour)
	insert(t, s,
		[]saydo.Observation{obs("m", day(3), 1, 1), obs("m", last, 2, 1), obs("other", day(90), 3, 1)},
		[]saydo.Observation{obs("m", first, 4, 1), obs("m", day(3), 1, 1)})
	gotFirst, gotLast, n, err := s.ObservationSpan(t.Context(), "m")
	if err != nil {
		t.Fatal(err)
	}
	if !gotFirst.Equal(first) || !gotLast.Equal(last) || n != 3 {
		t.Errorf("span: got %s %s %d, want %s %s 3", gotFirst, gotLast, n, first, last)
	}
}

func dirty(t *testing.T, s saydo.Store, metric string) ([]time.Time, int64) {
	t.Helper()
	days, mark, err := s.DirtyDays(t.Context(), metric)
	if err != nil {
		t.Fatalf("DirtyDays(%s): %v", metric, err)
	}
	return days, mark
}

func checkDays(t *testing.T, what string, got []time.Time, want ...time.Time) {
	t.Helper()
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func testDirtyDays(t *testing.T, s saydo.Store) {
	if days, _ := dirty(t, s, "m"); len(days) != 0 {
		t.Errorf("fresh store: got dirty days %v, want none", days)
	}
	insert(t, s, []saydo.Observation{
		obs("m", day(2).Add(23*time.Hour), 1, 1),
		obs("m", day(0).Add(time.Hour), 2, 1),
		obs("m", day(2), 3, 1),
		obs("other", day(5), 4, 1),
	})
	days, mark := dirty(t, s, "m")
	checkDays(t, "dirty days of m", days, day(0), day(2))
	checkDays(t, "dirty days of other", func() []time.Time { d, _ := dirty(t, s, "other"); return d }(), day(5))

	// An import after DirtyDays re-marks day 2 and marks day 3.
	insert(t, s, []saydo.Observation{obs("m", day(2).Add(time.Minute), 5, 1), obs("m", day(3), 6, 1)})
	if err := s.ClearDirty(t.Context(), "m", mark); err != nil {
		t.Fatal(err)
	}
	days, mark2 := dirty(t, s, "m")
	checkDays(t, "dirty days after ClearDirty with an old mark", days, day(2), day(3))
	if mark2 <= mark {
		t.Errorf("mark after a new import: got %d, want more than %d", mark2, mark)
	}
	checkDays(t, "dirty days of other after clearing m", func() []time.Time { d, _ := dirty(t, s, "other"); return d }(), day(5))

	if err := s.ClearDirty(t.Context(), "m", mark2); err != nil {
		t.Fatal(err)
	}
	days, _ = dirty(t, s, "m")
	checkDays(t, "dirty days after ClearDirty with the latest mark", days)

	// A rolled-back import marks nothing; a later one marks again.
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert([]saydo.Observation{obs("m", day(9), 7, 1)}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	days, _ = dirty(t, s, "m")
	checkDays(t, "dirty days after a rollback", days)
	insert(t, s, []saydo.Observation{obs("m", day(9), 7, 1)})
	days, mark3 := dirty(t, s, "m")
	checkDays(t, "dirty days after a new import", days, day(9))
	if mark3 <= mark2 {
		t.Errorf("mark after clearing everything: got %d, want more than %d (marks never go back)", mark3, mark2)
	}
	if err := s.ClearDirty(t.Context(), "unknown", mark3); err != nil {
		t.Errorf("ClearDirty of an unknown metric: got %v, want nil", err)
	}
}

func testDirtyIdempotentImport(t *testing.T, s saydo.Store) {
	batch := []saydo.Observation{obs("m", day(1), 1, 1), obs("m", day(4), 2, 1)}
	insert(t, s, batch)
	_, mark := dirty(t, s, "m")
	if err := s.ClearDirty(t.Context(), "m", mark); err != nil {
		t.Fatal(err)
	}
	if got := insert(t, s, batch); got[0] != 0 {
		t.Errorf("re-import: got %d inserted, want 0", got[0])
	}
	days, _ := dirty(t, s, "m")
	checkDays(t, "dirty days after re-importing the same rows", days)
}

func summaryOf(d time.Time, threshold float64, vals ...float64) saydo.Summary {
	s := saydo.Summary{Day: d}
	for _, v := range vals {
		s.Add(v, v <= threshold)
	}
	return s
}

func getSummaries(t *testing.T, s saydo.Store, promise string, from, to time.Time) (string, []saydo.Summary) {
	t.Helper()
	fp, days, err := s.Summaries(t.Context(), promise, from, to)
	if err != nil {
		t.Fatalf("Summaries(%s): %v", promise, err)
	}
	return fp, days
}

func summaryDays(sums []saydo.Summary) []time.Time {
	var out []time.Time
	for _, s := range sums {
		out = append(out, s.Day)
	}
	return out
}

func sameSummary(a, b saydo.Summary) bool {
	qa := a.Values.Quantiles(0, 0.5, 0.9, 1)
	qb := b.Values.Quantiles(0, 0.5, 0.9, 1)
	return a.Day.Equal(b.Day) && a.N == b.N && a.Met == b.Met && a.Mean == b.Mean && a.M2 == b.M2 &&
		a.Min == b.Min && a.Max == b.Max && a.Values.Count() == b.Values.Count() &&
		a.Values.Exact() == b.Values.Exact() && slices.Equal(qa, qb)
}

func testSummaries(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	if fp, days := getSummaries(t, s, "p", time.Time{}, time.Time{}); fp != "" || len(days) != 0 {
		t.Errorf("fresh store: got %q %d days, want \"\" and none", fp, len(days))
	}
	d0 := summaryOf(day(0), 120, 30, 60, 200)
	d1 := summaryOf(day(1), 120, 10)
	d2 := summaryOf(day(2), 120, 500, 100)
	if err := s.PutSummaries(ctx, "p", "fp1", []saydo.Summary{d2, d0, d1}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSummaries(ctx, "q", "fpq", []saydo.Summary{summaryOf(day(0), 1, 1)}, true); err != nil {
		t.Fatal(err)
	}
	fp, got := getSummaries(t, s, "p", time.Time{}, time.Time{})
	if fp != "fp1" {
		t.Errorf("fingerprint: got %q, want fp1", fp)
	}
	want := []saydo.Summary{d0, d1, d2}
	if len(got) != len(want) {
		t.Fatalf("summaries: got %d days, want %d", len(got), len(want))
	}
	for i := range want {
		if !sameSummary(got[i], want[i]) {
			t.Errorf("summary %d: got %+v, want %+v", i, got[i], want[i])
		}
	}

	ranges := []struct {
		name     string
		from, to time.Time
		want     []time.Time
	}{
		{"from", day(1), time.Time{}, []time.Time{day(1), day(2)}},
		{"to exclusive", time.Time{}, day(2), []time.Time{day(0), day(1)}},
		{"window", day(1), day(2), []time.Time{day(1)}},
		{"none", day(5), day(9), nil},
	}
	for _, tt := range ranges {
		t.Run(tt.name, func(t *testing.T) {
			_, got := getSummaries(t, s, "p", tt.from, tt.to)
			checkDays(t, "days", summaryDays(got), tt.want...)
		})
	}

	// Merge: overwrite day 1, delete day 2 with N = 0, add day 3.
	d1b := summaryOf(day(1), 120, 1, 2, 3)
	d3 := summaryOf(day(3), 120, 7)
	if err := s.PutSummaries(ctx, "p", "fp2", []saydo.Summary{d1b, {Day: day(2)}, d3}, false); err != nil {
		t.Fatal(err)
	}
	fp, got = getSummaries(t, s, "p", time.Time{}, time.Time{})
	if fp != "fp2" {
		t.Errorf("fingerprint after merge: got %q, want fp2", fp)
	}
	checkDays(t, "days after merge", summaryDays(got), day(0), day(1), day(3))
	if len(got) == 3 && !sameSummary(got[1], d1b) {
		t.Errorf("overwritten day: got %+v, want %+v", got[1], d1b)
	}

	// Replace drops every stored day first.
	if err := s.PutSummaries(ctx, "p", "fp3", []saydo.Summary{summaryOf(day(8), 120, 5)}, true); err != nil {
		t.Fatal(err)
	}
	fp, got = getSummaries(t, s, "p", time.Time{}, time.Time{})
	if fp != "fp3" {
		t.Errorf("fingerprint after replace: got %q, want fp3", fp)
	}
	checkDays(t, "days after replace", summaryDays(got), day(8))

	// Replace with nothing keeps the fingerprint and no days.
	if err := s.PutSummaries(ctx, "p", "fp4", nil, true); err != nil {
		t.Fatal(err)
	}
	fp, got = getSummaries(t, s, "p", time.Time{}, time.Time{})
	if fp != "fp4" || len(got) != 0 {
		t.Errorf("after replace with none: got %q and %d days, want fp4 and none", fp, len(got))
	}

	// Other promises are untouched.
	fp, got = getSummaries(t, s, "q", time.Time{}, time.Time{})
	if fp != "fpq" || len(got) != 1 {
		t.Errorf("other promise: got %q and %d days, want fpq and 1", fp, len(got))
	}
}

func testSummarySketch(t *testing.T, s saydo.Store) {
	var many []float64
	for i := range 5000 {
		many = append(many, float64(i)*1.37+0.5)
	}
	tests := []struct {
		name string
		vals []float64
	}{
		{"exact", []float64{1, 1, 2, 3, 5, 8, 13, 21, 0, -4}},
		{"bucketed", many},
		{"single", []float64{42}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := summaryOf(day(i), 100, tt.vals...)
			promise := "sketch-" + tt.name
			if err := s.PutSummaries(t.Context(), promise, "fp", []saydo.Summary{want}, true); err != nil {
				t.Fatal(err)
			}
			_, got := getSummaries(t, s, promise, time.Time{}, time.Time{})
			if len(got) != 1 {
				t.Fatalf("got %d summaries, want 1", len(got))
			}
			qs := []float64{0, 0.1, 0.5, 0.9, 0.99, 1}
			gq, wq := got[0].Values.Quantiles(qs...), want.Values.Quantiles(qs...)
			if !slices.Equal(gq, wq) {
				t.Errorf("quantiles %v: got %v, want %v", qs, gq, wq)
			}
			if got[0].Values.Count() != int64(len(tt.vals)) || got[0].Values.Exact() != want.Values.Exact() {
				t.Errorf("sketch: got count %d exact %v, want %d %v", got[0].Values.Count(), got[0].Values.Exact(), len(tt.vals), want.Values.Exact())
			}
			// A stored sketch still merges.
			m := got[0]
			m.Merge(&want)
			if m.N != 2*int64(len(tt.vals)) || m.Values.Count() != m.N {
				t.Errorf("merged: got n=%d sketch count=%d, want %d", m.N, m.Values.Count(), 2*len(tt.vals))
			}
		})
	}
}

// testConcurrentReader reads while a long write transaction is open: no
// reader may fail (e.g. with "database is locked") or see uncommitted rows.
func testConcurrentReader(t *testing.T, s saydo.Store) {
	insert(t, s, []saydo.Observation{obs("m", base, 1, 1)})
	if err := s.PutSummaries(t.Context(), "p", "fp", []saydo.Summary{summaryOf(day(0), 1, 1)}, true); err != nil {
		t.Fatal(err)
	}
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	reads := make(chan int, 2)
	for range 2 {
		wg.Go(func() {
			n := 0
			defer func() { reads <- n }()
			for ctx.Err() == nil {
				seen := 0
				err := s.ScanObservations(ctx, "m", time.Time{}, time.Time{}, func(*saydo.Observation) error { seen++; return nil })
				if err == nil && seen != 1 {
					err = fmt.Errorf("reader saw %d observations, want 1 (the committed one)", seen)
				}
				if err == nil {
					_, _, _, err = s.ObservationSpan(ctx, "m")
				}
				if err == nil {
					_, _, err = s.DirtyDays(ctx, "m")
				}
				if err == nil {
					_, _, err = s.Summaries(ctx, "p", time.Time{}, time.Time{})
				}
				if err != nil && ctx.Err() == nil {
					errs <- err
					return
				}
				n++
			}
		})
	}
	// Write for a while, in many statements, inside one transaction.
	deadline := time.Now().Add(300 * time.Millisecond)
	key := uint64(100)
	for time.Now().Before(deadline) {
		batch := make([]saydo.Observation, 500)
		for i := range batch {
			key++
			batch[i] = obs("m", base.Add(time.Duration(key)*time.Second), key, float64(key))
		}
		if _, err := tx.Insert(batch); err != nil {
			t.Fatalf("Insert: %v", err)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent reader: %v", err)
	}
	if n := <-reads + <-reads; n == 0 {
		t.Errorf("readers completed no read during the write transaction")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, _, n, err := s.ObservationSpan(t.Context(), "m"); err != nil || n != int64(key-100+1) {
		t.Errorf("after commit: got %d observations (%v), want %d", n, err, key-100+1)
	}
}

// testLargeBatch inserts a batch larger than any statement, with many
// segments and interleaved metrics, and checks every row comes back.
func testLargeBatch(t *testing.T, s saydo.Store) {
	const n = 2500
	metrics := []string{"a", "b", "c"}
	var batch []saydo.Observation
	for i := range n {
		batch = append(batch, saydo.Observation{
			Key:    uint64(i) * 7919,
			Metric: metrics[i%3],
			At:     base.Add(time.Duration(i) * 37 * time.Second),
			Value:  float64(i),
			Attrs:  attrs("agent", fmt.Sprint("agent-", i%50), "region", fmt.Sprint("r", i%4)),
		})
	}
	// Send it in uneven batches, the second half twice.
	got := insert(t, s, batch[:1234], batch[1234:], batch[n/2:])
	want := []int{1234, n - 1234, 0}
	if !slices.Equal(got, want) {
		t.Errorf("inserted: got %v, want %v", got, want)
	}
	for j, m := range metrics {
		var wantObs []saydo.Observation
		for i := j; i < n; i += 3 {
			wantObs = append(wantObs, batch[i])
		}
		checkObs(t, scan(t, s, m, time.Time{}, time.Time{}), wantObs)
		if _, _, cnt, err := s.ObservationSpan(t.Context(), m); err != nil || cnt != int64(len(wantObs)) {
			t.Errorf("span of %s: got n=%d err=%v, want %d", m, cnt, err, len(wantObs))
		}
	}
}

// attrs builds sorted attributes from name, value pairs.
func attrs(kv ...string) saydo.Attrs {
	var a saydo.Attrs
	for i := 0; i+1 < len(kv); i += 2 {
		a = append(a, saydo.Attr{Name: kv[i], Value: kv[i+1]})
	}
	a.Sort()
	return a
}

// testInsertNewAndMerge: InsertNew flags rows it certainly inserted and
// leaves their days unmarked; a statement with duplicates marks its days;
// MergeSummaries merges into stored summaries in the same transaction and
// rolls back with it.
func testInsertNewAndMerge(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	if err := s.PutSummaries(ctx, "p", "fp", []saydo.Summary{summaryOf(day(0), 10, 5, 20)}, true); err != nil {
		t.Fatal(err)
	}
	tx, err := s.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch := []saydo.Observation{obs("m", day(0), 1, 1), obs("m", day(0), 2, 30)}
	fresh := make([]bool, len(batch))
	if n, err := tx.InsertNew(batch, fresh); err != nil || n != 2 || !fresh[0] || !fresh[1] {
		t.Fatalf("InsertNew of new rows: %d, %v, fresh %v; want 2, nil, all true", n, err, fresh)
	}
	if err := tx.MergeSummaries("p", []saydo.Summary{summaryOf(day(0), 10, 1, 30)}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if days, _ := dirty(t, s, "m"); len(days) != 0 {
		t.Errorf("dirty days after InsertNew of certainly new rows: %v, want none", days)
	}
	_, sums := getSummaries(t, s, "p", time.Time{}, time.Time{})
	want := summaryOf(day(0), 10, 5, 20, 1, 30)
	if len(sums) != 1 || sums[0].N != want.N || sums[0].Met != want.Met || math.Abs(sums[0].Mean-want.Mean) > 1e-12 ||
		math.Abs(sums[0].M2-want.M2) > 1e-9 || sums[0].Min != 1 || sums[0].Max != 30 {
		t.Errorf("merged summary = %+v, want n 4, met 2, mean %g, m2 %g, min 1, max 30", sums, want.Mean, want.M2)
	}

	// One statement holding a duplicate and a new row: newness unknown.
	tx, err = s.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch = []saydo.Observation{obs("m", day(0), 1, 1), obs("m", day(3), 3, 4)}
	fresh = make([]bool, len(batch))
	if n, err := tx.InsertNew(batch, fresh); err != nil || n != 1 {
		t.Fatalf("InsertNew with a duplicate: %d, %v; want 1, nil", n, err)
	}
	if fresh[0] {
		t.Errorf("the duplicate row is flagged fresh")
	}
	// A merge rolled back with its transaction leaves the summary alone.
	if err := tx.MergeSummaries("p", []saydo.Summary{summaryOf(day(0), 10, 100)}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if !fresh[1] {
		if days, _ := dirty(t, s, "m"); len(days) == 0 {
			t.Errorf("a new row not flagged fresh left no dirty day")
		}
	}
	tx, err = s.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.MergeSummaries("p", []saydo.Summary{summaryOf(day(0), 10, 1000)}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	_, sums = getSummaries(t, s, "p", time.Time{}, time.Time{})
	if len(sums) != 1 || sums[0].N != 5 {
		t.Errorf("after a committed and a rolled-back merge: n %d, want 5", sums[0].N)
	}
}

// testConcurrentImports runs two importers at once on overlapping rows, as
// two servers on one database would: each row is stored once, the
// inserted counts add up to the distinct rows, and the summaries the
// importers merge count every row exactly once.
func testConcurrentImports(t *testing.T, s saydo.Store) {
	const (
		importers = 2
		batches   = 20
		perBatch  = 200
		overlap   = 50 // rows each batch shares with the other importer's
	)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		inserted int
		errs     = make(chan error, importers)
	)
	for w := range importers {
		wg.Go(func() {
			for b := range batches {
				batch := make([]saydo.Observation, perBatch)
				fresh := make([]bool, perBatch)
				for i := range batch {
					// Rows [0, overlap) of batch b are the same for both
					// importers; the others are each importer's own.
					key := uint64(b*10_000 + i)
					if i >= overlap {
						key += uint64(w+1) * 1_000_000
					}
					batch[i] = obs("m", day(b%3).Add(time.Duration(key%86_400)*time.Second), key, float64(i))
				}
				err := func() error {
					tx, err := s.BeginObservations(t.Context())
					if err != nil {
						return err
					}
					defer tx.Rollback()
					n, err := tx.InsertNew(batch, fresh)
					if err != nil {
						return err
					}
					sums := map[time.Time]*saydo.Summary{}
					for i := range batch {
						if !fresh[i] {
							continue
						}
						d := saydo.DayOf(batch[i].At)
						if sums[d] == nil {
							sums[d] = &saydo.Summary{Day: d}
						}
						sums[d].Add(batch[i].Value, batch[i].Value < 100)
					}
					var list []saydo.Summary
					for _, d := range []time.Time{day(0), day(1), day(2)} {
						if sums[d] != nil {
							list = append(list, *sums[d])
						}
					}
					if err := tx.MergeSummaries("p", list); err != nil {
						return err
					}
					if err := tx.Commit(); err != nil {
						return err
					}
					mu.Lock()
					inserted += n
					mu.Unlock()
					return nil
				}()
				if err != nil {
					errs <- fmt.Errorf("importer %d batch %d: %w", w, b, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := batches * (overlap + importers*(perBatch-overlap))
	if inserted != want {
		t.Errorf("inserted counts add up to %d, want %d distinct rows", inserted, want)
	}
	if _, _, n, err := s.ObservationSpan(t.Context(), "m"); err != nil || n != int64(want) {
		t.Errorf("ObservationSpan n = %d (%v), want %d", n, err, want)
	}
	stored := scan(t, s, "m", time.Time{}, time.Time{})
	if len(stored) != want {
		t.Errorf("scan: got %d observations, want %d", len(stored), want)
	}
	// A day is either summarised with every stored row or marked dirty for
	// a refresh (a store may not know which rows of a batch were new).
	perDay := map[time.Time]int64{}
	for _, o := range stored {
		perDay[saydo.DayOf(o.At)]++
	}
	dirtyDays, _ := dirty(t, s, "m")
	_, sums := getSummaries(t, s, "p", time.Time{}, time.Time{})
	for _, d := range sums {
		if slices.ContainsFunc(dirtyDays, d.Day.Equal) {
			continue
		}
		if d.N != perDay[d.Day] {
			t.Errorf("summary of %s counts %d observations, %d are stored and the day is not dirty", d.Day.Format(time.DateOnly), d.N, perDay[d.Day])
		}
	}
}

// testMetrics lists the metrics that have observations, by name, and not
// those of a rolled-back import.
func testMetrics(t *testing.T, s saydo.Store) {
	if got, err := s.Metrics(t.Context()); err != nil || len(got) != 0 {
		t.Errorf("Metrics of an empty store: got %q, %v, want none", got, err)
	}
	insert(t, s, []saydo.Observation{obs("wait", base, 1, 1), obs("Late", base, 2, 1), obs("fee", base, 3, 1)})
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert([]saydo.Observation{obs("gone", base, 4, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Metrics(t.Context())
	if want := []string{"Late", "fee", "wait"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Metrics: got %q, %v, want %q (byte order)", got, err, want)
	}
}
