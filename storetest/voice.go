package storetest

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func fbItem(key uint64, at time.Time, text, label string, promises ...string) saydo.Feedback {
	f := saydo.Feedback{Key: key, At: at, Text: text, NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN(),
		Analysis: saydo.Analysis{Sentiment: -0.5, Label: label}}
	if label != "negative" {
		f.Analysis.Sentiment = 0.5
	}
	for _, p := range promises {
		f.Analysis.Promises = append(f.Analysis.Promises, saydo.Mention{PromiseID: p, Score: 0.9, Match: text})
	}
	return f
}

func insertFeedbackCounts(t *testing.T, s saydo.Store, batch []saydo.Feedback) (inserted, replaced int) {
	t.Helper()
	tx, err := s.BeginFeedback(t.Context())
	if err != nil {
		t.Fatalf("BeginFeedback: %v", err)
	}
	defer tx.Rollback()
	inserted, replaced, err = tx.Insert(batch)
	if err != nil {
		t.Fatalf("Insert feedback: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit feedback: %v", err)
	}
	return inserted, replaced
}

func dirtyFeedbackDays(t *testing.T, s saydo.Store) ([]time.Time, int64) {
	t.Helper()
	days, mark, err := s.FeedbackDirtyDays(t.Context())
	if err != nil {
		t.Fatalf("FeedbackDirtyDays: %v", err)
	}
	return days, mark
}

// testFeedbackReplace: an id stored again with other content replaces the
// item (and its mentions), the same content is a duplicate, and both mark
// the days that changed as dirty.
func testFeedbackReplace(t *testing.T, s saydo.Store) {
	a := fbItem(1, base.Add(time.Hour), "late again", "negative", "p")
	b := fbItem(2, day(1), "fine", "positive")
	if n, r := insertFeedbackCounts(t, s, []saydo.Feedback{a, b}); n != 2 || r != 0 {
		t.Fatalf("first import: got %d inserted, %d replaced, want 2, 0", n, r)
	}
	days, mark := dirtyFeedbackDays(t, s)
	if want := []time.Time{base, day(1)}; !slices.EqualFunc(days, want, time.Time.Equal) {
		t.Errorf("dirty days after the first import: got %v, want %v", days, want)
	}
	if err := s.ClearFeedbackDirty(t.Context(), mark); err != nil {
		t.Fatal(err)
	}
	if n, r := insertFeedbackCounts(t, s, []saydo.Feedback{a, b}); n != 0 || r != 0 {
		t.Errorf("same items again: got %d inserted, %d replaced, want 0, 0", n, r)
	}
	if days, _ := dirtyFeedbackDays(t, s); len(days) != 0 {
		t.Errorf("dirty days after a duplicate import: got %v, want none", days)
	}
	// Item 1 moves to day 3 with other text and another promise.
	a2 := fbItem(1, day(3), "late again, third time", "negative", "q")
	if n, r := insertFeedbackCounts(t, s, []saydo.Feedback{a2}); n != 0 || r != 1 {
		t.Errorf("changed item: got %d inserted, %d replaced, want 0, 1", n, r)
	}
	days, _ = dirtyFeedbackDays(t, s)
	if want := []time.Time{base, day(3)}; !slices.EqualFunc(days, want, time.Time.Equal) {
		t.Errorf("dirty days after a replacement: got %v, want %v (the old day and the new)", days, want)
	}
	checkFeedback(t, scanFeedback(t, s, time.Time{}, time.Time{}), []saydo.Feedback{b, a2})
	if n, _ := s.CountFeedback(t.Context()); n != 2 {
		t.Errorf("CountFeedback after a replacement: got %d, want 2", n)
	}
}

func testVoiceDays(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	vd := func(d time.Time, items int64, quote string) saydo.VoiceDay {
		return saydo.VoiceDay{Day: d, Items: items, Negative: 1, Effort: map[string]int64{"transfer": 2},
			NPSN: 3, Promoters: 1, CESSum: 9.5, CESSumSq: 45.25, CESN: 2, Langs: map[string]int64{"ro": items},
			Quotes: []saydo.Quote{{Text: quote, Score: -0.7, Key: 1<<63 + 5}}}
	}
	if fp, days, err := s.VoiceDays(ctx, "p", time.Time{}, time.Time{}); err != nil || fp != "" || len(days) != 0 {
		t.Errorf("VoiceDays on an empty store: got %q, %d days, %v", fp, len(days), err)
	}
	in := []saydo.VoiceDay{vd(base, 4, "a"), vd(day(1), 2, "b"), vd(day(5), 7, "c")}
	if err := s.PutVoiceDays(ctx, "p", "fp1", in, true); err != nil {
		t.Fatal(err)
	}
	if err := s.PutVoiceDays(ctx, "", "fp0", in[:1], true); err != nil {
		t.Fatal(err)
	}
	fp, got, err := s.VoiceDays(ctx, "p", time.Time{}, time.Time{})
	if err != nil || fp != "fp1" {
		t.Fatalf("VoiceDays: got %q, %v, want fp1", fp, err)
	}
	if len(got) != 3 {
		t.Fatalf("VoiceDays: got %d days, want 3", len(got))
	}
	for i := range got {
		w := in[i]
		g := got[i]
		if !g.Day.Equal(w.Day) || g.Items != w.Items || g.Effort["transfer"] != 2 || g.CESSum != 9.5 || g.CESSumSq != 45.25 || g.Langs["ro"] != w.Items ||
			len(g.Quotes) != 1 || g.Quotes[0] != w.Quotes[0] {
			t.Errorf("day %d: got %+v, want %+v", i, g, w)
		}
	}
	if _, got, _ := s.VoiceDays(ctx, "p", day(1), day(5)); len(got) != 1 || !got[0].Day.Equal(day(1)) {
		t.Errorf("VoiceDays [day 1, day 5): got %v, want day 1 only", got)
	}
	// Overwrite one day, delete another (Items 0), keep the third.
	if err := s.PutVoiceDays(ctx, "p", "fp2", []saydo.VoiceDay{vd(day(1), 9, "d"), {Day: day(5)}}, false); err != nil {
		t.Fatal(err)
	}
	fp, got, _ = s.VoiceDays(ctx, "p", time.Time{}, time.Time{})
	if fp != "fp2" || len(got) != 2 || got[0].Items != 4 || got[1].Items != 9 {
		t.Errorf("after an update: got %q %+v, want fp2 with days of 4 and 9 items", fp, got)
	}
	fps, err := s.VoiceFingerprints(ctx)
	if err != nil || len(fps) != 2 || fps["p"] != "fp2" || fps[""] != "fp0" {
		t.Errorf("VoiceFingerprints: got %v, %v", fps, err)
	}
	if err := s.DropVoice(ctx, "p"); err != nil {
		t.Fatal(err)
	}
	if fp, got, _ := s.VoiceDays(ctx, "p", time.Time{}, time.Time{}); fp != "" || len(got) != 0 {
		t.Errorf("after DropVoice: got %q, %d days", fp, len(got))
	}
	if fp, got, _ := s.VoiceDays(ctx, "", time.Time{}, time.Time{}); fp != "fp0" || len(got) != 1 {
		t.Errorf("DropVoice of p touched the overall days: got %q, %d days", fp, len(got))
	}
}

// testSampleAndUpdate: the sample reads target items (negative, matching
// no promise) apart from the rest, by bucket; UpdateAnalysis moves an item
// between them.
func testSampleAndUpdate(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	var batch []saydo.Feedback
	for i := range 40 {
		key := uint64((i*97+3)%1024)<<53 | uint64(i) // buckets (key >> 53) spread over 0..1023
		switch i % 4 {
		case 0:
			batch = append(batch, fbItem(key, base.Add(time.Duration(i)*time.Hour), "no promise, negative", "negative"))
		case 1:
			batch = append(batch, fbItem(key, base.Add(time.Duration(i)*time.Hour), "mapped negative", "negative", "p"))
		default:
			batch = append(batch, fbItem(key, base.Add(time.Duration(i)*time.Hour), "positive", "positive"))
		}
	}
	insertFeedbackCounts(t, s, batch)
	sample := func(target bool, buckets int) []uint64 {
		var keys []uint64
		err := s.SampleFeedback(ctx, time.Time{}, time.Time{}, target, buckets, func(f *saydo.Feedback) error {
			keys = append(keys, f.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("SampleFeedback: %v", err)
		}
		slices.Sort(keys) // in no particular order
		return keys
	}
	want := func(target bool, buckets int) []uint64 {
		var keys []uint64
		for _, f := range batch {
			isT := f.Analysis.Label == "negative" && len(f.Analysis.Promises) == 0
			if isT == target && int(f.Key>>53) < buckets {
				keys = append(keys, f.Key)
			}
		}
		slices.Sort(keys)
		return keys
	}
	for _, tc := range []struct {
		target  bool
		buckets int
	}{{true, 1024}, {false, 1024}, {true, 300}, {false, 500}, {true, 0}} {
		if got, w := sample(tc.target, tc.buckets), want(tc.target, tc.buckets); !slices.Equal(got, w) {
			t.Errorf("SampleFeedback(target %v, buckets %d): got %v, want %v", tc.target, tc.buckets, got, w)
		}
	}
	// Re-analysed: item 0 now maps to p, item 1 to none.
	up := []saydo.Feedback{batch[0], batch[1]}
	up[0].Analysis.Promises = []saydo.Mention{{PromiseID: "p", Score: 0.8, Match: "x"}}
	up[0].Lang = "en"
	up[1].Analysis.Promises = nil
	if err := s.UpdateAnalysis(ctx, up); err != nil {
		t.Fatal(err)
	}
	batch[0], batch[1] = up[0], up[1]
	if got, w := sample(true, 1024), want(true, 1024); !slices.Equal(got, w) {
		t.Errorf("target sample after UpdateAnalysis: got %v, want %v", got, w)
	}
	checkFeedback(t, scanFeedback(t, s, time.Time{}, base.Add(2*time.Hour)), up)
	got, err := s.FeedbackByKeys(ctx, []uint64{batch[5].Key, 999999, batch[2].Key, batch[5].Key})
	if err != nil {
		t.Fatal(err)
	}
	checkFeedback(t, got, []saydo.Feedback{batch[2], batch[5]})
}

// testFeedbackInsertNew: InsertNew reports what it inserted without
// marking those days; MergeVoiceDays adds to stored days in the same
// transaction, and nothing is visible before Commit.
func testFeedbackInsertNew(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	if err := s.PutVoiceDays(ctx, "p", "fp", []saydo.VoiceDay{{Day: base, Items: 2, Negative: 1}}, true); err != nil {
		t.Fatal(err)
	}
	batch := []saydo.Feedback{fbItem(1, base.Add(time.Hour), "a", "negative", "p"), fbItem(2, day(1), "b", "positive", "p")}
	tx, err := s.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	fresh := make([]bool, len(batch))
	if n, r, err := tx.InsertNew(batch, fresh); err != nil || n != 2 || r != 0 || !fresh[0] || !fresh[1] {
		t.Fatalf("InsertNew: got %d, %d, %v, fresh %v; want 2 new", n, r, err, fresh)
	}
	if err := tx.MergeVoiceDays("p", []saydo.VoiceDay{{Day: base, Items: 1, Negative: 1}, {Day: day(1), Items: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, days, _ := s.VoiceDays(ctx, "p", time.Time{}, time.Time{}); len(days) != 1 || days[0].Items != 2 {
		t.Errorf("voice days before Commit: got %+v, want the stored day alone", days)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	_, days, _ := s.VoiceDays(ctx, "p", time.Time{}, time.Time{})
	if len(days) != 2 || days[0].Items != 3 || days[0].Negative != 2 || days[1].Items != 1 {
		t.Errorf("voice days after Commit: got %+v, want 3 items (2 negative) on day 0 and 1 on day 1", days)
	}
	if dirty, _ := dirtyFeedbackDays(t, s); len(dirty) != 0 {
		t.Errorf("dirty days after InsertNew: got %v, want none", dirty)
	}
	// The same items again: duplicates, not fresh; nothing marked.
	tx2, _ := s.BeginFeedback(ctx)
	defer tx2.Rollback()
	if n, _, err := tx2.InsertNew(batch, fresh); err != nil || n != 0 || fresh[0] || fresh[1] {
		t.Errorf("InsertNew of duplicates: got %d, %v, fresh %v; want none", n, err, fresh)
	}
	tx2.Commit()
	if dirty, _ := dirtyFeedbackDays(t, s); len(dirty) != 0 {
		t.Errorf("dirty days after a duplicate InsertNew: got %v, want none", dirty)
	}
}

// testScanFeedbackTexts: the first n items, in ScanFeedback's order (time,
// then key: several items share a time here), with their key, time, text,
// language and kind.
func testScanFeedbackTexts(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	var batch []saydo.Feedback
	for i := range 30 {
		f := fbItem(uint64((i*7919)%1000+1)<<40|uint64(i), base.Add(time.Duration(i/3)*time.Minute), fmt.Sprintf("text %d", i), "neutral")
		f.Lang = []string{"en", "ro", ""}[i%3]
		f.Kind = []string{"", "complaint", "churn"}[i%3]
		if i%10 == 9 {
			f.Text = ""
			f.NPS = 7
		}
		batch = append(batch, f)
	}
	insertFeedbackCounts(t, s, batch)
	type item struct {
		key              uint64
		at               time.Time
		text, lang, kind string
	}
	var all []item
	if err := s.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		all = append(all, item{f.Key, f.At, f.Text, f.Lang, f.Kind})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) != 30 {
		t.Fatalf("ScanFeedback: %d items, want 30", len(all))
	}
	for _, n := range []int64{0, 1, 7, 30, 40} {
		var got []item
		if err := s.ScanFeedbackTexts(ctx, n, func(f *saydo.Feedback) error {
			got = append(got, item{f.Key, f.At, f.Text, f.Lang, f.Kind})
			return nil
		}); err != nil {
			t.Fatalf("ScanFeedbackTexts(%d): %v", n, err)
		}
		want := all[:min(int(n), len(all))]
		if len(got) != len(want) {
			t.Fatalf("ScanFeedbackTexts(%d): %d items, want %d", n, len(got), len(want))
		}
		for i := range want {
			if got[i].key != want[i].key || !got[i].at.Equal(want[i].at) || got[i].text != want[i].text || got[i].lang != want[i].lang || got[i].kind != want[i].kind {
				t.Errorf("ScanFeedbackTexts(%d)[%d]: got %+v, want %+v (ScanFeedback's)", n, i, got[i], want[i])
			}
		}
	}
}
