package storetest

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// The store behaviour issue 8 needs: ids are identities (replaced rows),
// pre-aggregated rows, counted and pooled summary fields, and the ids of
// per-segment summaries. (Feedback ids are identities too: see the
// FeedbackReplace tests.)

func init() {
	extra = append(extra,
		conformance{"ReplacedIDs", testReplacedIDs},
		conformance{"ReplacedIDsLater", testReplacedIDsLater},
		conformance{"ReplacedIDsMany", testReplacedIDsMany},
		conformance{"SelfCorrectingBatch", testSelfCorrectingBatch},
		conformance{"PooledObservations", testPooledObservations},
		conformance{"PooledSummaries", testPooledSummaries},
		conformance{"SummaryIDs", testSummaryIDs},
	)
}

// withID is an observation with a source id, keyed as the importer keys it.
func withID(metric, id string, at time.Time, value float64) saydo.Observation {
	o := saydo.Observation{Metric: metric, SourceID: id, At: at, Value: value}
	o.Key = saydo.ObservationKey(&o, 0)
	return o
}

// insertCounting inserts one batch in its own transaction and returns how
// many rows were inserted and replaced.
func insertCounting(t *testing.T, s saydo.Store, batch []saydo.Observation) (inserted, replaced int) {
	t.Helper()
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n, err := tx.Insert(batch)
	if err != nil {
		tx.Rollback()
		t.Fatalf("Insert: %v", err)
	}
	r := tx.Replaced()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return n, r
}

func testReplacedIDs(t *testing.T, s saydo.Store) {
	a := withID("m", "a", base, 10)
	b := withID("m", "b", base.Add(time.Hour), 20)
	if n, r := insertCounting(t, s, []saydo.Observation{a, b}); n != 2 || r != 0 {
		t.Fatalf("first import: inserted %d, replaced %d; want 2, 0", n, r)
	}
	clearDirty(t, s, "m")
	// The same rows again: duplicates.
	if n, r := insertCounting(t, s, []saydo.Observation{a, b}); n != 0 || r != 0 {
		t.Errorf("same rows: inserted %d, replaced %d; want 0, 0", n, r)
	}
	// a corrected in value (same time), b moved to another day.
	a2 := withID("m", "a", base, 11)
	b2 := withID("m", "b", day(3), 20)
	if n, r := insertCounting(t, s, []saydo.Observation{a2, b2}); n != 0 || r != 2 {
		t.Errorf("corrections: inserted %d, replaced %d; want 0, 2", n, r)
	}
	checkObs(t, scan(t, s, "m", time.Time{}, time.Time{}), []saydo.Observation{a2, b2})
	if _, _, n, err := s.ObservationSpan(t.Context(), "m"); err != nil || n != 2 {
		t.Errorf("ObservationSpan: n = %d, %v; want 2 (a replaced row is not a second one)", n, err)
	}
	// Both days of b (where it was and where it is) and a's day need new
	// summaries.
	days, _, err := s.DirtyDays(t.Context(), "m")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(days, func(d time.Time) bool { return d.Equal(base) }) ||
		!slices.ContainsFunc(days, func(d time.Time) bool { return d.Equal(day(3)) }) {
		t.Errorf("dirty days %v, want %s and %s", days, base.Format(time.DateOnly), day(3).Format(time.DateOnly))
	}
	// Within one batch, the last row with an id wins.
	c1, c2 := withID("m", "c", day(1), 1), withID("m", "c", day(1), 2)
	if n, r := insertCounting(t, s, []saydo.Observation{c1, c2}); n != 1 || r != 1 {
		t.Errorf("one id twice in a batch: inserted %d, replaced %d; want 1, 1", n, r)
	}
	got := scan(t, s, "m", day(1), day(2))
	if len(got) != 1 || got[0].Value != 2 {
		t.Errorf("after one id twice in a batch: %v, want the last value, 2", got)
	}
}

// testReplacedIDsLater: a batch later than everything stored, as a first
// import of a sorted file is, that still holds an id stored before (the
// stores take a fast path for such batches and must notice the id).
func testReplacedIDsLater(t *testing.T, s saydo.Store) {
	a := withID("m", "a", day(1), 10)
	b := withID("m", "b", day(2), 20)
	if n, r := insertCounting(t, s, []saydo.Observation{a, b}); n != 2 || r != 0 {
		t.Fatalf("first import: inserted %d, replaced %d; want 2, 0", n, r)
	}
	// a moved past b, with a new row after it; then the same rows again.
	a2 := withID("m", "a", day(5), 11)
	c := withID("m", "c", day(6), 30)
	if n, r := insertCounting(t, s, []saydo.Observation{a2, c}); n != 1 || r != 1 {
		t.Errorf("a moved later, c new: inserted %d, replaced %d; want 1, 1", n, r)
	}
	d := withID("m", "d", day(7), 40)
	if n, r := insertCounting(t, s, []saydo.Observation{a2, c, d}); n != 1 || r != 0 {
		t.Errorf("the same again, d new: inserted %d, replaced %d; want 1, 0", n, r)
	}
	checkObs(t, scan(t, s, "m", time.Time{}, time.Time{}), []saydo.Observation{b, a2, c, d})
	if _, _, n, err := s.ObservationSpan(t.Context(), "m"); err != nil || n != 4 {
		t.Errorf("ObservationSpan: n = %d, %v; want 4", n, err)
	}
}

// testReplacedIDsMany: batches of thousands of ids, of two metrics, in
// and out of id order, some stored before: every correction replaces its
// row, every duplicate is dropped, every new id is stored, whichever
// chunk of the store's statements it falls in.
func testReplacedIDsMany(t *testing.T, s saydo.Store) {
	const n = 3000
	var first []saydo.Observation
	for i := range n {
		for _, m := range []string{"m1", "m2"} {
			first = append(first, withID(m, fmt.Sprintf("id-%05d", i), base.Add(time.Duration(i)*time.Minute), float64(i)))
		}
	}
	if got, r := insertCounting(t, s, first); got != 2*n || r != 0 {
		t.Fatalf("first import: inserted %d, replaced %d; want %d, 0", got, r, 2*n)
	}
	// Every 7th id corrected (value), every 11th moved a day later, the
	// rest the same; and n new ids; in reverse order.
	var second []saydo.Observation
	wantReplaced := 0
	for i := range 2 * n {
		for _, m := range []string{"m1", "m2"} {
			at, v := base.Add(time.Duration(i)*time.Minute), float64(i)
			if i < n {
				switch {
				case i%7 == 0:
					v += 0.5
					wantReplaced++
				case i%11 == 0:
					at = at.AddDate(0, 0, 1)
					wantReplaced++
				}
			}
			second = append(second, withID(m, fmt.Sprintf("id-%05d", i), at, v))
		}
	}
	slices.Reverse(second)
	if got, r := insertCounting(t, s, second); got != 2*n || r != wantReplaced {
		t.Errorf("second import: inserted %d, replaced %d; want %d, %d", got, r, 2*n, wantReplaced)
	}
	for _, m := range []string{"m1", "m2"} {
		obs := scan(t, s, m, time.Time{}, time.Time{})
		if len(obs) != 2*n {
			t.Fatalf("%s: %d observations, want %d", m, len(obs), 2*n)
		}
		byID := map[string]saydo.Observation{}
		for _, o := range obs {
			byID[o.SourceID] = o
		}
		for _, w := range second {
			if w.Metric != m {
				continue
			}
			g, ok := byID[w.SourceID]
			if !ok || !g.At.Equal(w.At) || g.Value != w.Value {
				t.Errorf("%s %s: got %v at %s, want %v at %s", m, w.SourceID, g.Value, g.At, w.Value, w.At)
				break
			}
		}
	}
}

func clearDirty(t *testing.T, s saydo.Store, metric string) {
	t.Helper()
	_, mark, err := s.DirtyDays(t.Context(), metric)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ClearDirty(t.Context(), metric, mark); err != nil {
		t.Fatal(err)
	}
}

func testPooledObservations(t *testing.T, s saydo.Store) {
	// BTS-style: one row per carrier and month, counts of flights and of
	// flights on time; a call-centre row with a mean.
	flights := saydo.Observation{Metric: "arrivals", At: base, Count: 1296, Met: 1019, Value: math.NaN(), SD: math.NaN(),
		Attrs: attrs("carrier", "AA")}
	flights.Key = saydo.ObservationKey(&flights, 2)
	waits := saydo.Observation{Metric: "arrivals", At: base.Add(time.Hour), Count: 300, Met: -1, Value: 42.5, SD: 12,
		Attrs: attrs("carrier", "B6")}
	waits.Key = saydo.ObservationKey(&waits, 3)
	single := obs("arrivals", base.Add(30*time.Minute), 99, 7)
	if n, r := insertCounting(t, s, []saydo.Observation{flights, single, waits}); n != 3 || r != 0 {
		t.Fatalf("inserted %d, replaced %d; want 3, 0", n, r)
	}
	got := scan(t, s, "arrivals", time.Time{}, time.Time{})
	if len(got) != 3 {
		t.Fatalf("scanned %d observations, want 3", len(got))
	}
	if g := got[0]; g.Count != 1296 || g.Met != 1019 || !math.IsNaN(g.Value) || g.Attrs.Canonical() != "carrier=AA" {
		t.Errorf("first: %+v, want the counts row of AA", g)
	}
	if g := got[1]; g.Count != 0 || g.Value != 7 {
		t.Errorf("second: %+v, want the single observation, in time order", g)
	}
	if g := got[2]; g.Count != 300 || g.Met != -1 || g.Value != 42.5 || g.SD != 12 {
		t.Errorf("third: %+v, want the mean row", g)
	}
	if n, r := insertCounting(t, s, []saydo.Observation{flights}); n != 0 || r != 0 {
		t.Errorf("same pooled row again: inserted %d, replaced %d; want a duplicate", n, r)
	}
	// A corrected count with the same identity (an id) replaces the row.
	withSource := flights
	withSource.SourceID = "AA-2026-03"
	withSource.Key = saydo.ObservationKey(&withSource, 0)
	insertCounting(t, s, []saydo.Observation{withSource})
	corrected := withSource
	corrected.Met = 1000
	if n, r := insertCounting(t, s, []saydo.Observation{corrected}); n != 0 || r != 1 {
		t.Errorf("corrected pooled row: inserted %d, replaced %d; want 0, 1", n, r)
	}
	first, last, n, err := s.ObservationSpan(t.Context(), "arrivals")
	if err != nil || n != 4 || !first.Equal(base) || !last.Equal(base.Add(time.Hour)) {
		t.Errorf("span %s..%s n=%d err=%v, want %s..%s, 4", first, last, n, err, base, base.Add(time.Hour))
	}
}

func testPooledSummaries(t *testing.T, s saydo.Store) {
	var d saydo.Summary
	d.Day = base
	d.AddCounted(100, 80)
	d.Add(5, true)
	if err := s.PutSummaries(t.Context(), "p", "fp", []saydo.Summary{d}, true); err != nil {
		t.Fatal(err)
	}
	_, got, err := s.Summaries(t.Context(), "p", time.Time{}, time.Time{})
	if err != nil || len(got) != 1 {
		t.Fatalf("Summaries: %v, %v", got, err)
	}
	if g := got[0]; g.N != 101 || g.Met != 81 || g.Counted != 100 || g.Pooled != 100 || g.Valued() != 1 || g.Mean != 5 {
		t.Errorf("summary %+v, want n 101, met 81, counted 100, pooled 100, mean 5", g)
	}
	// MergeSummaries keeps them too.
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var more saydo.Summary
	more.Day = base
	more.AddPooled(10, 6, 1, 10)
	if err := tx.MergeSummaries("p", []saydo.Summary{more}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	_, got, _ = s.Summaries(t.Context(), "p", time.Time{}, time.Time{})
	if g := got[0]; g.N != 111 || g.Counted != 100 || g.Pooled != 110 || g.Valued() != 11 || math.Abs(g.Mean-(5+60)/11.0) > 1e-12 {
		t.Errorf("merged %+v, want n 111, counted 100, pooled 110, mean 65/11", g)
	}
}

func testSummaryIDs(t *testing.T, s saydo.Store) {
	d := saydo.Summary{Day: base}
	d.Add(1, true)
	ids := []string{saydo.SegmentSummaryID("p", "region", "north"), saydo.SegmentSummaryID("p", "region", "south"),
		saydo.SegmentAttrID("p", "agent"), saydo.SegmentPrefix("p")}
	for _, id := range ids {
		if err := s.PutSummaries(t.Context(), id, "fp", []saydo.Summary{d}, true); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"p", "p-other", saydo.SegmentSummaryID("p-other", "region", "x")} {
		if err := s.PutSummaries(t.Context(), id, "fp", nil, true); err != nil {
			t.Fatal(err)
		}
	}
	// Days merged in an import transaction, without a fingerprint, count.
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	merged := saydo.SegmentSummaryID("p", "channel", "app")
	if err := tx.MergeSummaries(merged, []saydo.Summary{d}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := s.SummaryIDs(t.Context(), saydo.SegmentPrefix("p"))
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(ids), merged)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("SummaryIDs = %q, want %q", got, want)
	}
	// Forgetting an id: replace with no days and no fingerprint.
	if err := s.PutSummaries(t.Context(), ids[0], "", nil, true); err != nil {
		t.Fatal(err)
	}
	got, _ = s.SummaryIDs(t.Context(), saydo.SegmentPrefix("p"))
	if slices.Contains(got, ids[0]) {
		t.Errorf("SummaryIDs after forgetting %q still lists it: %q", ids[0], got)
	}
}

// testSelfCorrectingBatch: a batch that corrects its own rows (an id, and
// a pre-aggregated row, given twice with the last one right) counts the
// earlier rows replaced the first time, and nothing at all the second
// time, when its last rows are what is stored: importing it again changes
// nothing and says so.
func testSelfCorrectingBatch(t *testing.T, s saydo.Store) {
	early := withID("m", "a", base, 10)
	fixed := withID("m", "a", base, 11)
	pooledEarly := saydo.Observation{Metric: "m", At: base.Add(time.Hour), Count: 100, Met: 80, Value: math.NaN(), SD: math.NaN()}
	pooledEarly.Key = saydo.ObservationKey(&pooledEarly, 0)
	pooledFixed := pooledEarly
	pooledFixed.Met = 85 // the same identity (key) with other counts
	batch := []saydo.Observation{early, pooledEarly, withID("m", "b", base, 5), fixed, pooledFixed}
	if n, r := insertCounting(t, s, batch); n != 3 || r != 2 {
		t.Errorf("first import: inserted %d, replaced %d; want 3 (a, b, the pooled row), 2 (their earlier rows)", n, r)
	}
	if n, r := insertCounting(t, s, batch); n != 0 || r != 0 {
		t.Errorf("the same batch again: inserted %d, replaced %d; want 0, 0", n, r)
	}
	// Stored are the last rows; the batch with its rows the other way
	// round corrects them back.
	reversed := []saydo.Observation{fixed, pooledFixed, early, pooledEarly}
	if n, r := insertCounting(t, s, reversed); n != 0 || r != 4 {
		t.Errorf("reversed: inserted %d, replaced %d; want 0, 4", n, r)
	}
}
