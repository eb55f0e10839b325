package ledger_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/postgres/pgtest"
	"github.com/saydo/saydo/voice"
)

// selfTrainTexts: customers who use the promise's words (seeds), who
// speak of the same thing in their own words (what self-training must
// find), and who speak of something else.
var selfTrainTexts = []string{
	"Still waiting for my refund, order %d",
	"My refund for order %d has not arrived",
	"Refund for return %d never showed up",
	"The money for my returned order %d has not reached me",
	"My order %d went back and the money has not reached me",
	"Love the new colours of the app, version %d",
	"Great music selection in playlist %d",
	"The courier was friendly, delivery %d",
}

func selfTrainItems(from, n int, day0 time.Time) []saydo.Feedback {
	var out []saydo.Feedback
	for i := from; i < from+n; i++ {
		f := saydo.Feedback{SourceID: fmt.Sprint("st-", i), At: day0.Add(time.Duration(i) * time.Hour),
			Text: fmt.Sprintf(selfTrainTexts[i%len(selfTrainTexts)], 1000+i),
			NPS:  math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()}
		f.Key = saydo.FeedbackKey(&f, int64(i))
		out = append(out, f)
	}
	return out
}

func selfTrainWorkspace() *saydo.Workspace {
	return &saydo.Workspace{Promises: []saydo.Promise{
		{ID: "refund-5-days", Says: "Refunds reach you within 5 days.", Metric: "refund_days",
			Voice: map[string][]string{"en": {"refund"}}},
		{ID: "answer-fast", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds",
			Voice: map[string][]string{"en": {"on hold"}}},
	}}
}

// storedState is every stored analysis and the stored model, to compare
// two stores byte for byte.
func storedState(t *testing.T, st saydo.Store) ([]saydo.Feedback, []byte) {
	t.Helper()
	var items []saydo.Feedback
	if err := st.ScanFeedback(context.Background(), time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		c := *f
		c.Analysis.Promises = append([]saydo.Mention(nil), f.Analysis.Promises...)
		c.Analysis.Effort = append([]string(nil), f.Analysis.Effort...)
		c.Attrs = nil
		items = append(items, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, model, err := st.CachedReport(context.Background(), "voice-model")
	if err != nil {
		t.Fatal(err)
	}
	return items, model
}

func learnedMentions(items []saydo.Feedback) int {
	n := 0
	for _, f := range items {
		for _, m := range f.Analysis.Promises {
			if m.Match == "(learned)" {
				n++
			}
		}
	}
	return n
}

// TestVoiceSelfTrainedStored: with enough unlabelled items, the stored
// analyses carry what self-training learned from them; the model is
// stored, used by later imports, learned again when a promise's words
// change, and the same imports give the same bytes.
func TestVoiceSelfTrainedStored(t *testing.T) { testVoiceSelfTrainedStored(t, openStore) }

// TestVoiceSelfTrainedStoredPostgres is TestVoiceSelfTrainedStored on
// PostgreSQL: the model in its report cache, the same bytes.
func TestVoiceSelfTrainedStoredPostgres(t *testing.T) {
	pgtest.DSN(t)
	testVoiceSelfTrainedStored(t, openPostgres)
}

func testVoiceSelfTrainedStored(t *testing.T, openStore func(*testing.T) saydo.Store) {
	ctx := context.Background()
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	build := func() saydo.Store {
		st := openStore(t)
		ws := selfTrainWorkspace()
		importVoiceWith(t, st, ws, selfTrainItems(0, 800, day0), true)
		importVoiceWith(t, st, ws, selfTrainItems(800, 40, day0), true)
		return st
	}
	st := build()
	ws := selfTrainWorkspace()
	items, model := storedState(t, st)
	if len(items) != 840 {
		t.Fatalf("stored %d items, want 840", len(items))
	}
	// Zero-shot alone maps none of the own-words texts.
	zs := voice.New(ws.Promises, ledger.VoiceOptions(ws))
	for _, text := range selfTrainTexts[3:5] {
		if an := zs.Analyze(fmt.Sprintf(text, 7), "en"); len(an.Promises) != 0 {
			t.Fatalf("zero-shot maps %q to %v: the test needs texts it misses", text, an.Promises)
		}
	}
	learned := map[string]int{}
	for _, f := range items {
		for _, m := range f.Analysis.Promises {
			if m.Match == "(learned)" {
				learned[f.Text[:12]]++
				if m.PromiseID != "refund-5-days" {
					t.Errorf("%q: learned %s, want refund-5-days", f.Text, m.PromiseID)
				}
			}
		}
	}
	if learnedMentions(items) < 150 {
		t.Errorf("self-trained mentions stored: got %d (%v), want the own-words refund texts (210 of them)", learnedMentions(items), learned)
	}
	// The 40 items imported after training were analysed with the
	// stored model at import: the second refresh had nothing to redo.
	if rf, err := ledger.RefreshVoice(ctx, st, ws); err != nil || rf.Reanalysed != 0 {
		t.Errorf("refresh after the imports: got %+v, %v, want nothing re-analysed", rf, err)
	}
	late := 0
	for _, f := range items {
		if f.SourceID >= "st-800" && len(f.SourceID) == 6 {
			for _, m := range f.Analysis.Promises {
				if m.Match == "(learned)" {
					late++
				}
			}
		}
	}
	if late == 0 {
		t.Errorf("items imported after training carry no learned mention")
	}
	sum := mustVoice(t, st, ws)
	if sum.SelfTrained != 512 {
		t.Errorf("SelfTrained: got %d, want 512 (the first power of two of the 800 items stored when it learned)", sum.SelfTrained)
	}
	sameVoice(t, "self-trained", sum, fromScratch(t, st, ws, time.Time{}, time.Time{}))

	// Deterministic: the same imports into another store give the same
	// analyses and the same model, byte for byte.
	items2, model2 := storedState(t, build())
	if !bytes.Equal(model, model2) || len(model) < 100 {
		t.Errorf("stored models differ between two stores built the same way (%d and %d bytes)", len(model), len(model2))
	}
	if fmt.Sprintf("%+v", items) != fmt.Sprintf("%+v", items2) { // NaN scores: not reflect.DeepEqual
		t.Errorf("stored analyses differ between two stores built the same way")
	}

	// A promise's words change: the model is learned again.
	ws.Promises[0].Voice = map[string][]string{"en": {"refund", "money is not back"}}
	rf, err := ledger.RefreshVoice(ctx, st, ws)
	if err != nil || rf.Reanalysed != 840 {
		t.Errorf("refresh after a new voice phrase: got %+v, %v, want 840 re-analysed", rf, err)
	}
	if _, m3 := storedState(t, st); bytes.Equal(m3, model) {
		t.Errorf("model unchanged after a promise's voice phrases changed")
	}
	sameVoice(t, "after a phrase change", mustVoice(t, st, ws), fromScratch(t, st, ws, time.Time{}, time.Time{}))

	// Items back-filled among those it learned from: learned again, so
	// the model stays a function of the stored items, not of the order
	// they came in.
	early := selfTrainItems(900, 10, day0.Add(-900*time.Hour))
	importVoiceWith(t, st, ws, early, true)
	_, m4 := storedState(t, st)
	fresh := openStore(t)
	importVoiceWith(t, fresh, ws, append(selfTrainItems(0, 840, day0), early...), true)
	if _, m5 := storedState(t, fresh); !bytes.Equal(m4, m5) {
		t.Errorf("after a back-filled import, the model differs from one learned from the same items in one import")
	}
}

func mustVoice(t *testing.T, st saydo.Store, ws *saydo.Workspace) *voice.Summary {
	t.Helper()
	sum, err := ledger.VoiceSummary(context.Background(), st, ws, ledger.VoiceQuery{MinTheme: 5})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestVoiceRemapOnly: when only the promises or the learned mapping
// change, a re-analysis recomputes the mentions and keeps each item's
// language, sentiment, anger and effort (voice.MapFeedback); when what
// those depend on changes (the event kinds, voice.Version) or is not
// known (a store copied, a cache dropped), it analyses every item whole.
// Either way the stored analyses are those of a store that imported the
// same items under the final workspace.
func TestVoiceRemapOnly(t *testing.T) { testVoiceRemapOnly(t, openStore) }

// TestVoiceRemapOnlyPostgres is TestVoiceRemapOnly on PostgreSQL.
func TestVoiceRemapOnlyPostgres(t *testing.T) {
	pgtest.DSN(t)
	testVoiceRemapOnly(t, openPostgres)
}

func testVoiceRemapOnly(t *testing.T, openStore func(*testing.T) saydo.Store) {
	ctx := context.Background()
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	items := func() []saydo.Feedback {
		out := voiceItems(0, 120, day0, 0)
		for i := 0; i < len(out); i += 10 {
			out[i].Kind = "cancel"
		}
		return out
	}
	sameAsFresh := func(step string, st saydo.Store, ws *saydo.Workspace) {
		t.Helper()
		if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
			t.Fatal(err)
		}
		fresh := openStore(t)
		importVoiceWith(t, fresh, ws, items(), true)
		got, _ := storedState(t, st)
		want, _ := storedState(t, fresh)
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Errorf("%s: stored analyses differ from a store that imported the same items under this workspace", step)
		}
		sameVoice(t, step, mustVoice(t, st, ws), fromScratch(t, st, ws, time.Time{}, time.Time{}))
	}
	st := openStore(t)
	ws := voiceWorkspace()
	importVoiceWith(t, st, ws, items(), true)
	negative := func() int {
		stored, _ := storedState(t, st)
		n := 0
		for _, f := range stored {
			if f.Kind == "cancel" && f.Analysis.Label == "negative" {
				n++
			}
		}
		return n
	}
	if negative() == 0 {
		t.Fatal("no item of kind cancel reads negative: the test needs some")
	}

	ws.Promises[1].Voice = map[string][]string{"en": {"refund"}}
	sameAsFresh("after a voice phrase", st, ws)

	// A stored sentiment is not computed again when only the mapping
	// changes...
	stored, _ := storedState(t, st)
	tampered := stored[1]
	tampered.Analysis.Sentiment = 0.123
	if err := st.UpdateAnalysis(ctx, []saydo.Feedback{tampered}); err != nil {
		t.Fatal(err)
	}
	ws.Promises[1].Voice = map[string][]string{"en": {"refund", "money back"}}
	if rf, err := ledger.RefreshVoice(ctx, st, ws); err != nil || rf.Reanalysed != 120 {
		t.Fatalf("refresh after a phrase change: %+v, %v, want all 120 re-mapped", rf, err)
	}
	if got, _ := storedState(t, st); got[1].Analysis.Sentiment != 0.123 {
		t.Errorf("after a phrase change, sentiment %v, want the stored 0.123 kept (only mentions recomputed)", got[1].Analysis.Sentiment)
	}
	// ...but it is when the analysis the store holds is not known to be
	// current (a cache dropped, a store copied).
	if err := st.PutCachedReport(ctx, "voice-analysis", "", []byte{}); err != nil {
		t.Fatal(err)
	}
	ws.Promises[1].Voice = map[string][]string{"en": {"refund"}}
	sameAsFresh("after the analysis base was dropped", st, ws)

	// The event kinds change what is analysed at all: whole again.
	ws.Impact = &saydo.Impact{ChurnKind: "cancel"}
	sameAsFresh("with cancel as the churn kind", st, ws)
	if negative() != 0 {
		t.Errorf("items of the churn kind still read negative")
	}
	ws.Impact = nil
	sameAsFresh("back to the default churn kind", st, ws)
	if negative() == 0 {
		t.Errorf("items of kind cancel no longer churn read negative nowhere: not analysed again")
	}
}

// TestVoiceSelfTrainOff: with voice: self_train: false in saydo.yaml the
// stored analyses are the promises' words alone however many items are
// stored, imports stay as they are, and turning it on again learns the
// mapping and maps every item again (the setting is in the fingerprint).
func TestVoiceSelfTrainOff(t *testing.T) {
	ctx := context.Background()
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	st := openStore(t)
	ws := selfTrainWorkspace()
	ws.Voice.NoSelfTrain = true
	importVoiceWith(t, st, ws, selfTrainItems(0, 800, day0), true)
	importVoiceWith(t, st, ws, selfTrainItems(800, 40, day0), true)
	items, _ := storedState(t, st)
	if n := learnedMentions(items); n != 0 {
		t.Errorf("self-training off: %d learned mentions stored, want 0", n)
	}
	zs := voice.New(ws.Promises, ledger.VoiceOptions(ws))
	for _, f := range items {
		if want := zs.Analyze(f.Text, f.Lang).Promises; fmt.Sprint(f.Analysis.Promises) != fmt.Sprint(want) {
			t.Fatalf("%q: stored %v, the wording alone gives %v", f.Text, f.Analysis.Promises, want)
		}
	}
	if sum := mustVoice(t, st, ws); sum.SelfTrained != 0 {
		t.Errorf("SelfTrained: got %d, want 0", sum.SelfTrained)
	}
	if rf, err := ledger.RefreshVoice(ctx, st, ws); err != nil || rf.Reanalysed != 0 {
		t.Errorf("refresh with nothing changed: got %+v, %v, want nothing re-analysed", rf, err)
	}
	ws.Voice.NoSelfTrain = false
	rf, err := ledger.RefreshVoice(ctx, st, ws)
	if err != nil || rf.Reanalysed != 840 {
		t.Errorf("refresh after self-training was turned on: got %+v, %v, want 840 re-analysed", rf, err)
	}
	if items, _ := storedState(t, st); learnedMentions(items) < 150 {
		t.Errorf("self-training on again: %d learned mentions stored, want the own-words refund texts", learnedMentions(items))
	}
}
