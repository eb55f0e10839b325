package voice

import (
	"testing"

	"github.com/jonreiter/govader"
	"github.com/saydo/saydo"
)

// benchTexts mix English and Romanian customer feedback of typical length.
var benchTexts = []string{
	"I have called five times and nobody picks up the phone. Still waiting for someone to fix my internet!!",
	"Great, another delay. Thanks for nothing.",
	"The technician came on time and installed everything quickly, very polite.",
	"Your call is important to us... I was on hold for an hour and then transferred to another department.",
	"Nu răspunde nimeni la telefon de o oră, bătaie de joc!",
	"Mulțumesc, totul a fost perfect, tehnicianul a fost foarte amabil.",
	"Factura e greșită, m-au taxat de două ori luna asta și nimeni nu rezolvă nimic.",
	"My bill went up again without any warning, I want to cancel my contract.",
	"Internetul pica in fiecare seara, am sunat de trei ori si tot nu s-a rezolvat.",
	"Love the new app, paying is easy and fast.",
	"Why was I charged a fee for a card payment? Nobody told me about this.",
	"Am asteptat 40 de minute la telefon, apoi mi-au inchis.",
}

func benchPromises() []saydo.Promise {
	return []saydo.Promise{
		{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds",
			Voice: map[string][]string{"en": {"on hold", "nobody answers", "waited for ages"}, "ro": {"în așteptare", "nu răspunde nimeni"}}},
		{ID: "install-in-3-days", Says: "Your internet is installed within 3 days.", Metric: "install_days",
			Voice: map[string][]string{"en": {"technician never came"}, "ro": {"tehnicianul nu a venit"}}},
		{ID: "fix-first-call", Says: "We fix your problem in the first call.", Metric: "first_call_resolution"},
		{ID: "bill-as-agreed", Says: "Your bill is exactly what you agreed to.", Metric: "bill_disputes",
			Voice: map[string][]string{"en": {"charged twice", "bill went up"}, "ro": {"factura greșită", "taxat de două ori"}}},
		{ID: "warn-before-cutoff", Says: "We always warn you before we suspend your service.", Metric: "cutoff_warned",
			Voice: map[string][]string{"en": {"cut off without warning"}, "ro": {"deconectat fără avertisment"}}},
	}
}

// BenchmarkAnalyze measures language, sentiment, anger, effort and
// mapping together, the texts read as social posts to support, so the
// learned sentiment model reads the English ones (the costlier path);
// items/s is the figure to compare with BenchmarkGovader's, run in the
// same go test invocation.
func BenchmarkAnalyze(b *testing.B) {
	a := New(benchPromises(), Options{})
	for _, t := range benchTexts {
		a.Analyze(t, "")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := saydo.Feedback{Text: benchTexts[i%len(benchTexts)], Kind: "social"}
		a.AnalyzeFeedback(&f)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkAnalyzeRules is BenchmarkAnalyze with the rules alone, as
// reviews and surveys are read (and Analyze, which knows no kind).
func BenchmarkAnalyzeRules(b *testing.B) {
	a := New(benchPromises(), Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Analyze(benchTexts[i%len(benchTexts)], "")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkGovader is the baseline: VADER's sentiment alone on the same
// texts.
func BenchmarkGovader(b *testing.B) {
	sia := govader.NewSentimentIntensityAnalyzer()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sia.PolarityScores(benchTexts[i%len(benchTexts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
