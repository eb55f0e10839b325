package voice

import (
	"fmt"
	"testing"

	"github.com/saydo/saydo"
)

// TestSelfTrain: items that say the promise's phrase teach the words that
// come with it, so an item that only uses those words is found, and an
// unrelated item is not.
func TestSelfTrain(t *testing.T) {
	promises := []saydo.Promise{
		{ID: "refunds-in-5-days", Says: "Refunds reach your account within 5 days.", Metric: "refund_days",
			Voice: map[string][]string{"en": {"refund"}}},
	}
	var corpus []Example
	for i := range 30 {
		corpus = append(corpus,
			Example{Text: fmt.Sprintf("I returned the parcel %d weeks ago and the refund for the returned parcel is not here", i%4+1), Lang: "en"},
			Example{Text: fmt.Sprintf("The app crashes when I open settings, version %d", i), Lang: "en"},
			Example{Text: fmt.Sprintf("My internet is down again since %d pm", i%12+1), Lang: "en"})
	}
	probe := "I returned the parcel weeks ago and it is not here"
	if got := New(promises, Options{}).Analyze(probe, "en").Promises; len(got) != 0 {
		t.Fatalf("zero-shot already maps %q: %v; the test needs an item it misses", probe, got)
	}
	c := SelfTrain(promises, corpus, SelfTrainOptions{})
	if c == nil {
		t.Fatal("SelfTrain: nil, want a classifier from 30 seeds")
	}
	an := New(promises, Options{Classifier: c, MinProbability: SelfTrainedMinProbability})
	if got := an.Analyze(probe, "en").Promises; len(got) != 1 || got[0].PromiseID != "refunds-in-5-days" {
		t.Errorf("self-trained Analyze(%q).Promises = %v, want refunds-in-5-days", probe, got)
	}
	if got := an.Analyze("The app crashes when I open my profile", "en").Promises; len(got) != 0 {
		t.Errorf("self-trained maps an unrelated item: %v", got)
	}
	if c := SelfTrain(promises, corpus[:6], SelfTrainOptions{}); c != nil {
		t.Error("SelfTrain with 2 seeds: want nil (too few to learn from)")
	}
}
