package voice

// Evaluation on the real public datasets in ../shared/data (see
// docs/voice.md for the figures and how to reproduce them). These tests skip
// when the data is absent, as it is in a user's clone; run them with
//
//	go test ./voice -run Real -v
//
// SAYDO_DATA overrides the data folder.

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jonreiter/govader"
	"github.com/saydo/saydo"
)

func dataDir(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("real-data evaluation skipped in -short mode")
	}
	dir := os.Getenv("SAYDO_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real-data evaluation skipped: %s is absent (set SAYDO_DATA to the shared data folder to run it)", dir)
	}
	return dir
}

// readTable reads a CSV or TSV file into rows of named fields.
func readTable(t testing.TB, path string, comma rune) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("real-data evaluation skipped: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = comma
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	for i := range head {
		head[i] = strings.TrimPrefix(head[i], "\ufeff")
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue
		}
		m := map[string]string{}
		for i, v := range rec {
			if i < len(head) {
				m[head[i]] = v
			}
		}
		rows = append(rows, m)
	}
	return rows
}

// analyzeAs reads text as feedback of a kind: "review" keeps the rules
// alone, "social" and "complaint" have the learned sentiment model read
// English (Options.SupportKinds).
func analyzeAs(a *Analyzer, text, kind string) string {
	f := saydo.Feedback{Text: text, Lang: "en", Kind: kind}
	a.AnalyzeFeedback(&f)
	return f.Analysis.Label
}

// TestRealSentimentReviews compares saydo's sentiment with govader's on
// star-rated reviews: 1–2 stars negative, 4–5 positive, 3 left out. They
// are read as reviews (the rules alone) and, to show how the learned
// sentiment model generalises past support tweets, as social posts to
// support (the model reads them).
func TestRealSentimentReviews(t *testing.T) {
	dir := dataDir(t)
	sets := []struct {
		name, file, text, rating string
		comma                    rune
	}{
		{"amazon alexa", "reviews/amazon_alexa_reviews.tsv", "verified_reviews", "rating", '\t'},
		{"tripadvisor hotels", "reviews/tripadvisor_hotel_reviews_subset.csv", "Review", "Rating", ','},
		{"womens clothing", "reviews/womens_clothing_ecommerce_reviews_first1000.csv", "Review Text", "Rating", ','},
	}
	a := New(nil, Options{})
	sia := govader.NewSentimentIntensityAnalyzer()
	var allGold, allOurs, allVader, allModel []string
	for _, s := range sets {
		var gold, ours, vader, model []string
		for _, row := range readTable(t, filepath.Join(dir, s.file), s.comma) {
			stars, err := strconv.Atoi(strings.TrimSpace(row[s.rating]))
			text := strings.TrimSpace(row[s.text])
			if err != nil || stars == 3 || text == "" {
				continue
			}
			g := "positive"
			if stars <= 2 {
				g = "negative"
			}
			gold = append(gold, g)
			ours = append(ours, analyzeAs(a, text, "review"))
			model = append(model, analyzeAs(a, text, "social"))
			vader = append(vader, label(sia.PolarityScores(text).Compound))
		}
		eo, ev, em := Evaluate(gold, ours, ""), Evaluate(gold, vader, ""), Evaluate(gold, model, "")
		t.Logf("sentiment %-20s n=%5d  saydo acc %.3f macro-F1 %.3f | govader acc %.3f macro-F1 %.3f | read as support messages (model) acc %.3f macro-F1 %.3f",
			s.name, len(gold), eo.Accuracy, eo.MacroF1, ev.Accuracy, ev.MacroF1, em.Accuracy, em.MacroF1)
		logClasses(t, "  saydo  ", eo)
		logClasses(t, "  govader", ev)
		allGold = append(allGold, gold...)
		allOurs = append(allOurs, ours...)
		allVader = append(allVader, vader...)
		allModel = append(allModel, model...)
	}
	eo, ev, em := Evaluate(allGold, allOurs, ""), Evaluate(allGold, allVader, ""), Evaluate(allGold, allModel, "")
	t.Logf("sentiment %-20s n=%5d  saydo acc %.3f macro-F1 %.3f | govader acc %.3f macro-F1 %.3f | read as support messages (model) acc %.3f macro-F1 %.3f",
		"all reviews", len(allGold), eo.Accuracy, eo.MacroF1, ev.Accuracy, ev.MacroF1, em.Accuracy, em.MacroF1)
}

// TestRealSentimentThreeClass scores the same reviews in three classes
// (1–2 stars negative, 3 neutral, 4–5 positive) and reports the error a
// CX lead minds most: a negative item read as positive. As reviews (the
// rules alone) and as support messages (the learned model).
func TestRealSentimentThreeClass(t *testing.T) {
	dir := dataDir(t)
	sets := []struct {
		file, text, rating string
		comma              rune
	}{
		{"reviews/amazon_alexa_reviews.tsv", "verified_reviews", "rating", '\t'},
		{"reviews/tripadvisor_hotel_reviews_subset.csv", "Review", "Rating", ','},
		{"reviews/womens_clothing_ecommerce_reviews_first1000.csv", "Review Text", "Rating", ','},
	}
	a := New(nil, Options{})
	sia := govader.NewSentimentIntensityAnalyzer()
	var gold, ours, vader, model []string
	for _, s := range sets {
		for _, row := range readTable(t, filepath.Join(dir, s.file), s.comma) {
			stars, err := strconv.Atoi(strings.TrimSpace(row[s.rating]))
			text := strings.TrimSpace(row[s.text])
			if err != nil || text == "" {
				continue
			}
			g := "positive"
			switch {
			case stars <= 2:
				g = "negative"
			case stars == 3:
				g = "neutral"
			}
			gold = append(gold, g)
			ours = append(ours, analyzeAs(a, text, "review"))
			model = append(model, analyzeAs(a, text, "social"))
			vader = append(vader, label(sia.PolarityScores(text).Compound))
		}
	}
	for _, r := range []struct {
		name string
		pred []string
	}{{"saydo", ours}, {"govader", vader}, {"saydo as support (model)", model}} {
		ev := Evaluate(gold, r.pred, "")
		t.Logf("three-class reviews n=%d %-8s acc %.3f macro-F1 %.3f negative read as positive %.1f%%",
			len(gold), r.name, ev.Accuracy, ev.MacroF1, 100*flipRate(gold, r.pred, "negative", "positive"))
		logClasses(t, "  "+r.name, ev)
	}
}

// TestRealSentimentComplaints reads real complaints filed with the CFPB:
// every narrative is a complaint, so a positive reading is an error. The
// even rows were read to find the billing words VADER scores as praise
// (credit, interest, security…); the odd rows were not looked at. They
// are read as complaints (the learned sentiment model reads them) and
// with the rules alone.
func TestRealSentimentComplaints(t *testing.T) {
	dir := dataDir(t)
	a := New(nil, Options{})
	sia := govader.NewSentimentIntensityAnalyzer()
	var gold [2][]string
	var ours, rules, vader [2][]string
	for i, row := range readTable(t, filepath.Join(dir, "cfpb_consumer_complaints/complaints_sample.csv"), ',') {
		text := strings.TrimSpace(row["Consumer complaint narrative"])
		if text == "" {
			continue
		}
		k := i % 2
		gold[k] = append(gold[k], "negative")
		ours[k] = append(ours[k], analyzeAs(a, text, "complaint"))
		rules[k] = append(rules[k], analyzeAs(a, text, "review"))
		vader[k] = append(vader[k], label(sia.PolarityScores(text).Compound))
	}
	for k, split := range []string{"dev (even rows)", "held out (odd rows)"} {
		for _, r := range []struct {
			name string
			pred []string
		}{{"saydo", ours[k]}, {"rules", rules[k]}, {"govader", vader[k]}} {
			t.Logf("CFPB complaints %-19s n=%d %-8s negative %.1f%% neutral %.1f%% positive %.1f%%", split, len(gold[k]), r.name,
				100*flipRate(gold[k], r.pred, "negative", "negative"), 100*flipRate(gold[k], r.pred, "negative", "neutral"),
				100*flipRate(gold[k], r.pred, "negative", "positive"))
		}
	}
}

// flipRate is the share of items labelled from that were predicted to.
func flipRate(gold, pred []string, from, to string) float64 {
	n, k := 0, 0
	for i := range gold {
		if gold[i] == from {
			n++
			if pred[i] == to {
				k++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

func label(c float64) string {
	switch {
	case c >= 0.05:
		return "positive"
	case c <= -0.05:
		return "negative"
	}
	return "neutral"
}

func logClasses(t *testing.T, prefix string, ev Evaluation) {
	t.Helper()
	for _, c := range ev.Classes {
		t.Logf("%s %-45.45s P %.3f R %.3f F1 %.3f (n=%d)", prefix, c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
}

// TestRealSpeedTweets measures throughput on real customer tweets, next to
// govader on the same texts in the same run.
func TestRealSpeedTweets(t *testing.T) {
	dir := dataDir(t)
	var texts []string
	for _, row := range readTable(t, filepath.Join(dir, "twcs_customer_support_twitter/spotifycares_inbound_requests.cleanCR.csv"), ',') {
		texts = append(texts, row["text"])
	}
	a := New(nil, Options{})
	for _, p := range []string{"full"} {
		_ = p
	}
	sia := govader.NewSentimentIntensityAnalyzer()
	a2 := New(benchPromises(), Options{})
	for _, x := range texts[:200] {
		a2.Analyze(x, "")
	}
	start := time.Now()
	for _, x := range texts {
		a2.Analyze(x, "")
	}
	ours := time.Since(start)
	start = time.Now()
	for _, x := range texts {
		sia.PolarityScores(x)
	}
	vader := time.Since(start)
	_ = a
	t.Logf("speed on %d Spotify tweets, one goroutine: saydo (language+sentiment+anger+effort+mapping to 5 promises) %.0f items/s, govader (sentiment only) %.0f items/s, ratio %.2f",
		len(texts), float64(len(texts))/ours.Seconds(), float64(len(texts))/vader.Seconds(), vader.Seconds()/ours.Seconds())
}

// TestRealCFPBSupervised cross-validates the supervised mapper on CFPB
// complaint narratives, with the Issue as the label (issues with at least
// 10 narratives).
func TestRealCFPBSupervised(t *testing.T) {
	dir := dataDir(t)
	rows := readTable(t, filepath.Join(dir, "cfpb_consumer_complaints/complaints_sample.csv"), ',')
	count := map[string]int{}
	for _, r := range rows {
		if strings.TrimSpace(r["Consumer complaint narrative"]) != "" {
			count[r["Issue"]]++
		}
	}
	var ex []Example
	for _, r := range rows {
		n := strings.TrimSpace(r["Consumer complaint narrative"])
		if n != "" && count[r["Issue"]] >= 10 {
			ex = append(ex, Example{Text: n, Lang: "en", Label: r["Issue"]})
		}
	}
	ev := CrossValidate(ex, 5, 1, TrainOptions{})
	t.Logf("CFPB narratives -> Issue, 5-fold CV, %d narratives, %d issues: accuracy %.3f macro-F1 %.3f", ev.N, len(ev.Classes), ev.Accuracy, ev.MacroF1)
	logClasses(t, "  ", ev)
	for _, m := range []string{"bayes", "complement"} {
		ab := CrossValidate(ex, 5, 1, TrainOptions{Model: m})
		t.Logf("  for comparison, not used to choose: %s accuracy %.3f macro-F1 %.3f", m, ab.Accuracy, ab.MacroF1)
	}
	base := majority(ex)
	t.Logf("  majority-class baseline accuracy %.3f", base)
}

func majority(ex []Example) float64 {
	c := map[string]int{}
	best := 0
	for _, e := range ex {
		c[e.Label]++
		best = max(best, c[e.Label])
	}
	return float64(best) / float64(len(ex))
}

func readBanking(t *testing.T, dir, file string) []Example {
	var ex []Example
	for _, r := range readTable(t, filepath.Join(dir, "customer_service/banking77", file), ',') {
		ex = append(ex, Example{Text: r["text"], Lang: "en", Label: r["category"]})
	}
	return ex
}

// TestRealBanking77Supervised trains on BANKING77's train.csv and tests on
// test.csv.
func TestRealBanking77Supervised(t *testing.T) {
	dir := dataDir(t)
	train, test := readBanking(t, dir, "train.csv"), readBanking(t, dir, "test.csv")
	c := Train(train, TrainOptions{})
	var gold, pred []string
	for _, e := range test {
		p, _ := c.Predict(e.Text, e.Lang)
		gold = append(gold, e.Label)
		pred = append(pred, p)
	}
	ev := Evaluate(gold, pred, "")
	t.Logf("BANKING77 supervised (train %d, test %d, 77 intents): accuracy %.3f macro-F1 %.3f", len(train), len(test), ev.Accuracy, ev.MacroF1)
	for _, o := range []TrainOptions{{Model: "logistic"}, {Model: "bayes"}, {Model: "complement"}} {
		cv := CrossValidate(train, 5, 1, o)
		t.Logf("BANKING77 supervised, 5-fold CV on train.csv (%s): accuracy %.3f macro-F1 %.3f", o.Model, cv.Accuracy, cv.MacroF1)
	}
}

// banking77Promises are promises a bank might make, written from the
// intent names alone; their mapping is evaluated with no training and the
// labels were not used to tune them.
var banking77Promises = []saydo.Promise{
	{ID: "card-arrives-in-a-week", Says: "Your new card arrives within 7 days of ordering.", Metric: "card_delivery_days",
		Voice: map[string][]string{"en": {"card has not arrived", "still waiting for my card", "where is my card", "card not delivered"}}},
	{ID: "transfers-arrive-same-day", Says: "Transfers reach the recipient the same day.", Metric: "transfer_arrival_hours",
		Voice: map[string][]string{"en": {"transfer not received", "transfer is pending", "money has not arrived", "recipient has not received"}}},
	{ID: "refunds-in-5-days", Says: "Refunds show up in your account within 5 days.", Metric: "refund_days",
		Voice: map[string][]string{"en": {"refund not showing", "where is my refund", "refund has not arrived"}}},
	{ID: "no-hidden-fees", Says: "No hidden fees: we never charge you a fee you were not told about.", Metric: "unexpected_fee_share",
		Voice: map[string][]string{"en": {"charged a fee", "extra charge", "unexpected fee"}}},
	{ID: "fair-exchange-rate", Says: "You always get a fair exchange rate.", Metric: "exchange_rate_complaints",
		Voice: map[string][]string{"en": {"wrong exchange rate", "bad exchange rate"}}},
}

// banking77PromisesRevised are banking77Promises after one round of
// revision a user would make, informed only by mapping errors on
// train.csv: single-word voice phrases for the subject of each promise.
// Figures on test.csv for both sets are reported.
var banking77PromisesRevised = func() []saydo.Promise {
	extra := map[string][]string{
		"card-arrives-in-a-week":    {"track my card", "haven't received my card", "card still hasn't come"},
		"transfers-arrive-same-day": {"transfer", "money I sent"},
		"refunds-in-5-days":         {"refund"},
		"no-hidden-fees":            {"fee", "charge on my statement", "charged"},
		"fair-exchange-rate":        {"exchange rate", "rate of exchange"},
	}
	out := make([]saydo.Promise, len(banking77Promises))
	for i, p := range banking77Promises {
		p.Voice = map[string][]string{"en": append(append([]string(nil), p.Voice["en"]...), extra[p.ID]...)}
		out[i] = p
	}
	return out
}()

// banking77Gold says which intents speak of which promise; every other
// intent is "none".
var banking77Gold = map[string]string{
	"card_arrival": "card-arrives-in-a-week", "card_delivery_estimate": "card-arrives-in-a-week",
	"transfer_not_received_by_recipient": "transfers-arrive-same-day", "pending_transfer": "transfers-arrive-same-day",
	"transfer_timing": "transfers-arrive-same-day", "balance_not_updated_after_bank_transfer": "transfers-arrive-same-day",
	"refund_not_showing_up": "refunds-in-5-days", "request_refund": "refunds-in-5-days",
	"card_payment_fee_charged": "no-hidden-fees", "transfer_fee_charged": "no-hidden-fees",
	"extra_charge_on_statement": "no-hidden-fees", "cash_withdrawal_charge": "no-hidden-fees",
	"exchange_rate": "fair-exchange-rate", "card_payment_wrong_exchange_rate": "fair-exchange-rate",
	"wrong_exchange_rate_for_cash_withdrawal": "fair-exchange-rate",
}

// TestRealBanking77ZeroShot maps BANKING77's test queries to five
// promises with no training.
func TestRealBanking77ZeroShot(t *testing.T) {
	for _, set := range []struct {
		name     string
		promises []saydo.Promise
	}{{"as first written", banking77Promises}, {"revised on train.csv", banking77PromisesRevised}} {
		for _, file := range []string{"train.csv", "test.csv"} {
			t.Run(file, func(t *testing.T) {
				t.Logf("promises %s:", set.name)
				banking77ZeroShot(t, file, set.promises)
			})
		}
	}
}

func banking77ZeroShot(t *testing.T, file string, promises []saydo.Promise) {
	dir := dataDir(t)
	test := readBanking(t, dir, file)
	a := New(promises, Options{})
	for i := range test {
		g, ok := banking77Gold[test[i].Label]
		if !ok {
			g = "none"
		}
		test[i].Label = g
	}
	pred := a.ZeroShot(test, "none")
	gold := make([]string, len(test))
	for i := range test {
		gold[i] = test[i].Label
	}
	ev := Evaluate(gold, pred, "none")
	fp := 0
	nNone := 0
	for i := range gold {
		if gold[i] == "none" {
			nNone++
			if pred[i] != "none" {
				fp++
			}
		}
	}
	t.Logf("BANKING77 zero-shot on %s, 5 promises, %d queries: macro-F1 over promises %.3f; %d of %d other-intent queries wrongly mapped (%.1f%%)",
		file, len(test), ev.MacroF1, fp, nNone, 100*float64(fp)/float64(nNone))
	logClasses(t, "  ", ev)
	fmt.Fprint(io.Discard)
}

func spotifyTweets(b *testing.B) []string {
	dir := dataDir(b)
	var texts []string
	for _, row := range readTable(b, filepath.Join(dir, "twcs_customer_support_twitter/spotifycares_inbound_requests.cleanCR.csv"), ',') {
		texts = append(texts, row["text"])
	}
	return texts
}

// BenchmarkAnalyzeTweets measures saydo on real tweets, read as social
// posts (the learned sentiment model reads the English ones); compare
// with BenchmarkGovaderTweets in the same run.
func BenchmarkAnalyzeTweets(b *testing.B) {
	texts := spotifyTweets(b)
	a := New(benchPromises(), Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := saydo.Feedback{Text: texts[i%len(texts)], Kind: "social"}
		a.AnalyzeFeedback(&f)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkGovaderTweets is govader's sentiment alone on the same tweets.
func BenchmarkGovaderTweets(b *testing.B) {
	texts := spotifyTweets(b)
	sia := govader.NewSentimentIntensityAnalyzer()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sia.PolarityScores(texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
