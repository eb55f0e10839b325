package storetest

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func insertFeedback(t *testing.T, s saydo.Store, batches ...[]saydo.Feedback) []int {
	t.Helper()
	tx, err := s.BeginFeedback(t.Context())
	if err != nil {
		t.Fatalf("BeginFeedback: %v", err)
	}
	defer tx.Rollback()
	var counts []int
	for _, b := range batches {
		n, _, err := tx.Insert(b)
		if err != nil {
			t.Fatalf("Insert feedback: %v", err)
		}
		counts = append(counts, n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit feedback: %v", err)
	}
	return counts
}

func scanFeedback(t *testing.T, s saydo.Store, from, to time.Time) []saydo.Feedback {
	t.Helper()
	var out []saydo.Feedback
	err := s.ScanFeedback(t.Context(), from, to, func(f *saydo.Feedback) error {
		c := *f
		c.Attrs = slices.Clone(f.Attrs)
		c.Analysis.Effort = slices.Clone(f.Analysis.Effort)
		c.Analysis.Promises = slices.Clone(f.Analysis.Promises)
		out = append(out, c)
		return nil
	})
	if err != nil {
		t.Fatalf("ScanFeedback: %v", err)
	}
	return out
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func sameFeedback(a, b saydo.Feedback) bool {
	return a.Key == b.Key && a.SourceID == b.SourceID && a.At.Equal(b.At) && a.Text == b.Text &&
		a.Customer == b.Customer && a.Channel == b.Channel && a.Kind == b.Kind && a.Lang == b.Lang &&
		sameFloat(a.NPS, b.NPS) && sameFloat(a.CSAT, b.CSAT) && sameFloat(a.CES, b.CES) && sameFloat(a.Rating, b.Rating) &&
		slices.Equal(a.Attrs, b.Attrs) && a.Label == b.Label &&
		sameFloat(a.Analysis.Sentiment, b.Analysis.Sentiment) && a.Analysis.Label == b.Analysis.Label &&
		a.Analysis.Anger == b.Analysis.Anger && slices.Equal(a.Analysis.Effort, b.Analysis.Effort) &&
		slices.EqualFunc(a.Analysis.Promises, b.Analysis.Promises, func(x, y saydo.Mention) bool {
			return x.PromiseID == y.PromiseID && sameFloat(x.Score, y.Score) && x.Match == y.Match
		})
}

func checkFeedback(t *testing.T, got, want []saydo.Feedback) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d feedback items, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !sameFeedback(got[i], want[i]) {
			t.Errorf("feedback %d:\ngot  %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func testFeedback(t *testing.T, s saydo.Store) {
	nan := math.NaN()
	full := saydo.Feedback{
		Key: 1<<63 + 12345, SourceID: "zd-981", At: base.Add(90*time.Minute + 125*time.Millisecond),
		Text: "Am așteptat 40 de minute la telefon! \"Your call is important to us\"", Customer: "c-77",
		Channel: "phone", Kind: "complaint", Lang: "ro",
		NPS: 2, CSAT: 1, CES: 7, Rating: nan,
		Attrs: attrs("region", "north", "product", "fiber"), Label: "answer-in-2-min",
		Analysis: saydo.Analysis{
			Sentiment: -0.82, Label: "negative", Anger: true,
			Effort: []string{"long_hold", "hold_loop"},
			Promises: []saydo.Mention{
				{PromiseID: "answer-in-2-min", Score: 0.91, Match: "așteptat 40 de minute la telefon"},
				{PromiseID: "fix-first-call", Score: nan, Match: ""},
			},
		},
	}
	bare := saydo.Feedback{Key: 2, At: base, NPS: nan, CSAT: nan, CES: nan, Rating: 4,
		Analysis: saydo.Analysis{Sentiment: nan}}
	later := saydo.Feedback{Key: 3, At: day(3), Text: "great", NPS: 10, CSAT: nan, CES: nan, Rating: nan,
		Analysis: saydo.Analysis{Sentiment: 0.6, Label: "positive"}}
	if n, err := s.CountFeedback(t.Context()); err != nil || n != 0 {
		t.Errorf("CountFeedback on an empty store: got %d, %v, want 0, nil", n, err)
	}
	if got := insertFeedback(t, s, []saydo.Feedback{later, full, bare}); got[0] != 3 {
		t.Errorf("inserted: got %d, want 3", got[0])
	}
	if n, err := s.CountFeedback(t.Context()); err != nil || n != 3 {
		t.Errorf("CountFeedback: got %d, %v, want 3, nil", n, err)
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     []saydo.Feedback
	}{
		{"all in time order", time.Time{}, time.Time{}, []saydo.Feedback{bare, full, later}},
		{"from", base.Add(time.Minute), time.Time{}, []saydo.Feedback{full, later}},
		{"to exclusive", time.Time{}, day(3), []saydo.Feedback{bare, full}},
		{"empty", day(4), day(5), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFeedback(t, scanFeedback(t, s, tt.from, tt.to), tt.want)
		})
	}
}

func testFeedbackDuplicates(t *testing.T, s saydo.Store) {
	item := func(key uint64) saydo.Feedback {
		return saydo.Feedback{Key: key, At: base.Add(time.Duration(key) * time.Hour), Text: fmt.Sprint("item ", key),
			NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN(),
			Analysis: saydo.Analysis{Promises: []saydo.Mention{{PromiseID: "p", Score: 0.5, Match: "x"}}}}
	}
	tests := []struct {
		name    string
		batches [][]saydo.Feedback
		want    []int
	}{
		{"within one batch", [][]saydo.Feedback{{item(1), item(2), item(1)}}, []int{2}},
		{"across batches", [][]saydo.Feedback{{item(3)}, {item(3), item(4)}, {item(1), item(4)}}, []int{1, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := insertFeedback(t, s, tt.batches...); !slices.Equal(got, tt.want) {
				t.Errorf("inserted per batch: got %v, want %v", got, tt.want)
			}
		})
	}
	if n, err := s.CountFeedback(t.Context()); err != nil || n != 4 {
		t.Errorf("CountFeedback: got %d, %v, want 4, nil", n, err)
	}
	checkFeedback(t, scanFeedback(t, s, time.Time{}, time.Time{}), []saydo.Feedback{item(1), item(2), item(3), item(4)})
}

func testFeedbackRollback(t *testing.T, s saydo.Store) {
	tx, err := s.BeginFeedback(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f := saydo.Feedback{Key: 9, At: base, Text: "gone", NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN(),
		Analysis: saydo.Analysis{Promises: []saydo.Mention{{PromiseID: "p", Score: 1}}}}
	if n, _, err := tx.Insert([]saydo.Feedback{f}); err != nil || n != 1 {
		t.Fatalf("Insert: got %d, %v, want 1, nil", n, err)
	}
	if n, _ := s.CountFeedback(t.Context()); n != 0 {
		t.Errorf("CountFeedback before Commit: got %d, want 0", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountFeedback(t.Context()); n != 0 {
		t.Errorf("CountFeedback after Rollback: got %d, want 0", n)
	}
	// The same key inserts after the rollback.
	if got := insertFeedback(t, s, []saydo.Feedback{f}); got[0] != 1 {
		t.Errorf("insert after rollback: got %d, want 1", got[0])
	}
}

// testFeedbackLabelled: ScanLabelledFeedback reads exactly the items with
// text and a label, in time order then by key, including a label given by
// a replacement and not one a replacement took away.
func testFeedbackLabelled(t *testing.T, s saydo.Store) {
	nan := math.NaN()
	item := func(key uint64, at time.Duration, text, label string) saydo.Feedback {
		f := saydo.Feedback{Key: key, SourceID: fmt.Sprint("l", key), At: base.Add(at), Text: text, Label: label,
			NPS: nan, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: 0, Label: "neutral"}}
		if text == "" {
			f.NPS = 9
		}
		return f
	}
	insertFeedback(t, s, []saydo.Feedback{
		item(50, 3*time.Hour, "late again", "on-time"),
		item(40, time.Hour, "no label", ""),
		item(30, 3*time.Hour, "wrong bill", "bills"),
		item(20, 2*time.Hour, "", "bills"), // a score without text teaches nothing
		item(10, 4*time.Hour, "relabelled", ""),
		item(60, 5*time.Hour, "unlabelled later", "on-time"),
	})
	// Replacements: key 10 gains a label, key 60 loses its own.
	insertFeedback(t, s, []saydo.Feedback{item(10, 4*time.Hour, "relabelled, now with one", "on-time"), item(60, 5*time.Hour, "unlabelled later", "")})
	var got []string
	if err := s.ScanLabelledFeedback(t.Context(), func(f *saydo.Feedback) error {
		got = append(got, fmt.Sprintf("%d %s %s", f.Key, f.Label, f.Text))
		return nil
	}); err != nil {
		t.Fatalf("ScanLabelledFeedback: %v", err)
	}
	want := []string{"30 bills wrong bill", "50 on-time late again", "10 on-time relabelled, now with one"}
	if !slices.Equal(got, want) {
		t.Errorf("ScanLabelledFeedback: got %q, want %q", got, want)
	}
}
