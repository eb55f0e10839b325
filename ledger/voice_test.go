package ledger_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/voice"
)

func voiceWorkspace() *saydo.Workspace {
	return &saydo.Workspace{Promises: []saydo.Promise{
		{ID: "answer-fast", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds",
			Voice: map[string][]string{"en": {"on hold"}, "ro": {"nu răspunde nimeni"}}},
		{ID: "refund-5-days", Says: "Refunds reach your account within 5 days.", Metric: "refund_days",
			Objective: saydo.Objective{Share: 0.9}},
	}}
}

var voiceTexts = []string{
	"I was on hold for 45 minutes, third time this week!!",
	"Still waiting for my refund, it has been three weeks.",
	"Great service, thank you so much",
	"Am așteptat o oră la telefon și nu răspunde nimeni. Bătaie de joc!",
	"Nobody told me the technician would not come. Terrible.",
	"Rambursarea nu a venit nici după o lună.",
	"The app keeps crashing when I open my invoice, useless",
	"Thanks, the agent solved it quickly.",
	"No message about the appointment, I had to call to find out the date.",
	"Nu am primit niciun mesaj despre programare.",
}

// importVoice imports items as 'saydo ingest feedback' does: refresh,
// analyse with the current promises, insert, refresh.
func importVoice(t *testing.T, st saydo.Store, ws *saydo.Workspace, items []saydo.Feedback) {
	t.Helper()
	importVoiceWith(t, st, ws, items, false)
}

// importVoiceWith imports as 'saydo ingest feedback' does; with merge, new
// items go into the day summaries in the import's transaction (InsertNew,
// VoiceDays.Merge), the others' days are left to RefreshVoice.
func importVoiceWith(t *testing.T, st saydo.Store, ws *saydo.Workspace, items []saydo.Feedback, merge bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
		t.Fatal(err)
	}
	an, err := ledger.VoiceAnalyzer(ctx, st, ws)
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		an.AnalyzeFeedback(&items[i])
	}
	tx, err := st.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if merge {
		fresh := make([]bool, len(items))
		if _, _, err := tx.InsertNew(items, fresh); err != nil {
			t.Fatal(err)
		}
		days := ledger.NewVoiceDays()
		for i := range items {
			if fresh[i] {
				days.Add(&items[i])
			}
		}
		if err := days.Merge(tx); err != nil {
			t.Fatal(err)
		}
	} else if _, _, err := tx.Insert(items); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
		t.Fatal(err)
	}
}

func voiceItems(from, n int, day0 time.Time, shift int) []saydo.Feedback {
	var out []saydo.Feedback
	for i := from; i < from+n; i++ {
		f := saydo.Feedback{SourceID: fmt.Sprint("fb-", i), At: day0.Add(time.Duration(i*7) * time.Hour),
			Text: voiceTexts[(i+shift)%len(voiceTexts)], NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()}
		if i%3 == 0 {
			f.NPS = float64(i % 11)
		}
		if i%5 == 0 {
			f.CES = float64(1 + i%7)
		}
		f.Key = saydo.FeedbackKey(&f, int64(i))
		out = append(out, f)
	}
	return out
}

// fromScratch analyses every stored item through ws's promises and the
// stored learned mapping in memory, the way the summaries must come out.
func fromScratch(t *testing.T, st saydo.Store, ws *saydo.Workspace, from, to time.Time) *voice.Summary {
	t.Helper()
	opts, err := ledger.StoredVoiceOptions(context.Background(), st, ws)
	if err != nil {
		t.Fatal(err)
	}
	scan := func(fn func(*saydo.Feedback) error) error { return st.ScanFeedback(context.Background(), from, to, fn) }
	sum, err := voice.Summarize(ws.Promises, scan, voice.SummaryOptions{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func sameVoice(t *testing.T, what string, got, want *voice.Summary) {
	t.Helper()
	if got.Items != want.Items || got.Negative != want.Negative || got.Unmapped != want.Unmapped {
		t.Errorf("%s: items/negative/unmapped: got %d/%d/%d, want %d/%d/%d", what, got.Items, got.Negative, got.Unmapped, want.Items, want.Negative, want.Unmapped)
	}
	if !reflect.DeepEqual(got.Languages, want.Languages) {
		t.Errorf("%s: languages: got %v, want %v", what, got.Languages, want.Languages)
	}
	if !reflect.DeepEqual(got.Iceberg, want.Iceberg) {
		t.Errorf("%s: iceberg: got %+v, want %+v", what, got.Iceberg, want.Iceberg)
	}
	if len(got.Promises) != len(want.Promises) {
		t.Errorf("%s: promises: got %d, want %d", what, len(got.Promises), len(want.Promises))
	}
	for id, w := range want.Promises {
		if g := got.Promises[id]; !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s:\ngot  %+v\nwant %+v", what, id, g, w)
		}
	}
	if !reflect.DeepEqual(got.Unmet, want.Unmet) {
		t.Errorf("%s: unmet expectations:\ngot  %+v\nwant %+v", what, got.Unmet, want.Unmet)
	}
}

// TestVoiceIncremental: summaries kept across imports, replacements and
// promise changes agree with analysing everything from scratch.
func TestVoiceIncremental(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	ws := voiceWorkspace()
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	importVoiceWith(t, st, ws, voiceItems(0, 120, day0, 0), true)
	// Overlapping import: 40 duplicates, 40 new; then 20 ids again with
	// other text (replaced) on other days.
	importVoiceWith(t, st, ws, voiceItems(80, 80, day0, 0), true)
	repl := voiceItems(10, 20, day0.AddDate(0, 1, 0), 3)
	for i := range repl {
		repl[i].Key = saydo.FeedbackKey(&saydo.Feedback{SourceID: repl[i].SourceID}, 0)
	}
	importVoice(t, st, ws, repl)
	got, err := ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{MinTheme: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got.Items != 160 {
		t.Errorf("items after 120 + 40 new + 20 replaced: got %d, want 160", got.Items)
	}
	sameVoice(t, "after imports", got, fromScratch(t, st, ws, time.Time{}, time.Time{}))

	from, to := day0.AddDate(0, 0, 10), day0.AddDate(0, 0, 30)
	got, err = ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	sameVoice(t, "days 10-29", got, fromScratch(t, st, ws, from, to))

	// An objective change does not touch what customers said.
	ws.Promises[1].Objective.Share = 0.8
	rf, err := ledger.RefreshVoice(ctx, st, ws)
	if err != nil || rf.Reanalysed != 0 {
		t.Errorf("refresh after an objective change: got %d re-analysed, %v, want 0", rf.Reanalysed, err)
	}
	// A new voice phrase does: every item is analysed again once.
	ws.Promises[1].Voice = map[string][]string{"en": {"refund"}, "ro": {"rambursare"}}
	rf, err = ledger.RefreshVoice(ctx, st, ws)
	if err != nil || rf.Reanalysed != 160 || rf.Changed == 0 {
		t.Errorf("refresh after a new voice phrase: got %d re-analysed, %d changed, %v, want 160 and some", rf.Reanalysed, rf.Changed, err)
	}
	if rf, _ = ledger.RefreshVoice(ctx, st, ws); rf.Reanalysed != 0 || rf.Days != 0 {
		t.Errorf("second refresh: got %+v, want nothing to do", rf)
	}
	got, err = ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	sameVoice(t, "after a promise change", got, fromScratch(t, st, ws, time.Time{}, time.Time{}))

	// A removed promise leaves no voice behind.
	ws.Promises = ws.Promises[:1]
	got, err = ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	sameVoice(t, "after removing a promise", got, fromScratch(t, st, ws, time.Time{}, time.Time{}))
}
