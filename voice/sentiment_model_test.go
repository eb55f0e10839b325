package voice

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

var update = flag.Bool("update", false, "rewrite sentiment_model.txt from the labelled tweets in ../shared/data")

// sentimentItem is one text as the learned sentiment model sees it.
type sentimentItem struct {
	gold, rules, lang string
	sentiment         float64
	features          []string
	r                 reading
	text              string
}

// readSentimentItem reads text with the rules and builds the model's
// features, as analyze does.
func readSentimentItem(a *Analyzer, text, gold string) sentimentItem {
	s := &scratch{}
	lm, lang, toks := s.read(text, "")
	s.matches = lm.patterns.find(lm, toks, s.matches[:0])
	r := a.score(lm, text, toks, s)
	it := sentimentItem{gold: gold, lang: lang, sentiment: r.sentiment, rules: "neutral", r: r, text: text}
	switch {
	case r.sentiment >= 0.05:
		it.rules = "positive"
	case r.sentiment <= -0.05:
		it.rules = "negative"
	}
	it.features = sentimentFeatures(lm, toks, r)
	return it
}

// trainSentimentModel trains the learned sentiment model on the English
// items (the model reads English only), on the features found in at least
// minSentimentDocs of them; words only leaves the rules' signals out (for
// comparison).
func trainSentimentModel(items []sentimentItem, wordsOnly bool) *Classifier {
	var fs [][]string
	var labels []string
	docs := map[string]int{}
	for _, it := range items {
		if !learnsSentiment(it.lang) {
			continue
		}
		f := it.features
		if wordsOnly {
			f = withoutSignals(f)
		}
		for _, x := range f {
			docs[x]++
		}
		fs = append(fs, f)
		labels = append(labels, it.gold)
	}
	for i, f := range fs {
		kept := make([]string, 0, len(f))
		for _, x := range f {
			if docs[x] >= minSentimentDocs {
				kept = append(kept, x)
			}
		}
		fs[i] = kept
	}
	return trainFeatures(fs, labels, TrainOptions{})
}

func withoutSignals(fs []string) []string {
	var out []string
	for _, f := range fs {
		if !strings.HasPrefix(f, "~") {
			out = append(out, f)
		}
	}
	return out
}

// devSentimentItems reads the dev tweet sets (1 to 5), set by set.
func devSentimentItems(t *testing.T) ([]tweetSet, [][]sentimentItem) {
	t.Helper()
	text := tweetTexts(t)
	dev, _ := readTweetSets(t)
	a := New(nil, Options{})
	items := make([][]sentimentItem, len(dev))
	for i, set := range dev {
		for _, ex := range tweetExamples(t, set.name, set.labels, text) {
			items[i] = append(items[i], readSentimentItem(a, ex.Text, ex.Label))
		}
	}
	return dev, items
}

// featureProbabilities is the logistic model's probability of each of
// c.labels for features fs, as predictLogistic computes it.
func featureProbabilities(c *Classifier, fs []string) []float64 {
	score := c.logisticScores(fs)
	softmax(score)
	return score
}

// cvVariant is a way the model and the rules meet in
// TestRealTweetSentimentCV: it gives the label of it from the model's
// probabilities p (of the labels in c.labels) and the rules; nil decide is
// the rules alone.
type cvVariant struct {
	name      string
	wordsOnly bool
	decide    func(c *Classifier, p []float64, it sentimentItem) string
}

// TestRealTweetSentimentCV: leave-one-set-out cross-validation over the
// dev tweet sets 1 to 5: the model is trained on four sets and judged on
// the fifth, five folds, per fold and pooled, against the rules alone,
// for each way the model and the rules may meet. The rules were tuned on
// sets 1 to 3 (their errors read), so the folds judged on sets 4 and 5
// hold the rules to tweets they were not written from; the model never
// sees the set it is judged on. Figures only.
func TestRealTweetSentimentCV(t *testing.T) {
	dev, items := devSentimentItems(t)
	// A variant gives the label of it from the model's probabilities p
	// (of the labels in c.labels; nil for the rules alone) and the rules.
	argmax := func(c *Classifier, p []float64) string {
		best := 0
		for j := range p {
			if p[j] > p[best] {
				best = j
			}
		}
		return c.labels[best]
	}
	shipped := func(c *Classifier, p []float64, it sentimentItem) string {
		m := newSentimentModel(c)
		return c.labels[m.choose(p, it.r)]
	}
	variants := []cvVariant{
		{name: "rules alone"},
		{name: "model, words only", wordsOnly: true, decide: func(c *Classifier, p []float64, it sentimentItem) string {
			return argmax(c, p)
		}},
		{name: "model, argmax (round 4)", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			return argmax(c, p)
		}},
		{name: "model, as shipped (choose)", decide: shipped},
	}
	if os.Getenv("SAYDO_TWEET_CV_EXPLORE") != "" {
		variants = append(variants, exploreVariants()...)
	}
	type fold struct {
		c, words *Classifier
	}
	folds := make([]fold, len(dev))
	for f := range dev {
		var train []sentimentItem
		for o := range dev {
			if o != f {
				train = append(train, items[o]...)
			}
		}
		folds[f] = fold{trainSentimentModel(train, false), trainSentimentModel(train, true)}
	}
	// The English cases the rules are held to, read by a model of all
	// five sets: how many each variant gets wrong.
	var full *Classifier
	var cases []sentimentItem
	{
		var train []sentimentItem
		for _, set := range items {
			train = append(train, set...)
		}
		full = trainSentimentModel(train, false)
		a := New(nil, Options{})
		for _, tt := range supportCases {
			if it := readSentimentItem(a, tt.text, tt.want); strings.HasPrefix(tt.name, "en ") && learnsSentiment(it.lang) {
				cases = append(cases, it)
			}
		}
	}
	for _, v := range variants {
		var all, allGold []string
		var per strings.Builder
		for f := range dev {
			c := folds[f].c
			if v.wordsOnly {
				c = folds[f].words
			}
			var gold, pred []string
			for _, it := range items[f] {
				gold = append(gold, it.gold)
				switch {
				case v.decide == nil || !learnsSentiment(it.lang):
					pred = append(pred, it.rules)
				case v.wordsOnly:
					pred = append(pred, v.decide(c, featureProbabilities(c, withoutSignals(it.features)), it))
				default:
					pred = append(pred, v.decide(c, featureProbabilities(c, it.features), it))
				}
			}
			if os.Getenv("SAYDO_TWEET_ERRORS") != "" && v.name == os.Getenv("SAYDO_TWEET_CV_VARIANT") {
				for i, it := range items[f] {
					if pred[i] != it.gold && (it.gold != "neutral" && pred[i] != "neutral" || os.Getenv("SAYDO_TWEET_ERRORS") == "all") {
						t.Logf("CV error set %d row %d: gold %s saydo %s (rules %s %.2f): %s", f+1, i+2, it.gold, pred[i], it.rules, it.sentiment, strings.ReplaceAll(it.text, "\n", " "))
					}
				}
			}
			ev := Evaluate(gold, pred, "")
			fmt.Fprintf(&per, " set %d %.3f %.1f%% %.1f%%;", f+1, ev.Accuracy,
				100*flipRate(gold, pred, "negative", "positive"), 100*flipRate(gold, pred, "positive", "negative"))
			all = append(all, pred...)
			allGold = append(allGold, gold...)
		}
		wrong := 0
		for _, it := range cases {
			l := it.rules
			switch {
			case v.decide == nil:
			case v.wordsOnly:
				l = v.decide(full, featureProbabilities(full, withoutSignals(it.features)), it)
			default:
				l = v.decide(full, featureProbabilities(full, it.features), it)
			}
			if l != it.gold {
				wrong++
				if os.Getenv("SAYDO_TWEET_ERRORS") != "" && v.name == os.Getenv("SAYDO_TWEET_CV_VARIANT") {
					t.Logf("case error: want %s got %s (rules %s %.2f): %s", it.gold, l, it.rules, it.sentiment, it.text)
				}
			}
		}
		t.Logf("tweets CV %-34s English support cases (words not tweets; a model of all five sets) wrong: %d of %d", v.name, wrong, len(cases))
		ev := Evaluate(allGold, all, "")
		t.Logf("tweets CV %-34s acc, negative read as positive, positive read as negative, per fold:%s", v.name, per.String())
		t.Logf("tweets CV %-34s pooled n=%d acc %.3f macro-F1 %.3f negative read as positive %.1f%% positive read as negative %.1f%% neutral read as negative %.1f%%",
			v.name, len(allGold), ev.Accuracy, ev.MacroF1, 100*flipRate(allGold, all, "negative", "positive"), 100*flipRate(allGold, all, "positive", "negative"),
			100*flipRate(allGold, all, "neutral", "negative"))
	}
}

// sentimentModelAbout is the comment sentiment_model.txt carries.
func sentimentModelAbout(n int) string {
	return fmt.Sprintf(`Learned sentiment weights (voice/sentiment_model.go): multinomial logistic
regression over words, concepts, word pairs and the rules' signals (~),
trained on the %d English tweets of tweet sets 1 to 5 (testdata/tweet_labels*.csv,
labelled by hand; texts in ../shared/data, not here), features in at least
%d of them. Generated; do not edit. Regenerate with
  go test ./voice -run TestSentimentModelFile -update
after any change to the rules or the labels.`, n, minSentimentDocs)
}

// TestSentimentModelFile checks that sentiment_model.txt is what the dev
// tweets and the rules as they are now train (with -update, writes it).
// It skips without ../shared/data.
func TestSentimentModelFile(t *testing.T) {
	_, items := devSentimentItems(t)
	var all []sentimentItem
	n := 0
	for _, set := range items {
		all = append(all, set...)
		for _, it := range set {
			if learnsSentiment(it.lang) {
				n++
			}
		}
	}
	got := formatSentimentModel(trainSentimentModel(all, false), sentimentModelAbout(n))
	if *update {
		if err := os.WriteFile("sentiment_model.txt", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote sentiment_model.txt: %d bytes", len(got))
		return
	}
	if got != sentimentModelText {
		t.Errorf("sentiment_model.txt is not what the tweets and the rules give now (%d bytes, want %d): run go test ./voice -run TestSentimentModelFile -update", len(sentimentModelText), len(got))
	}
}

// TestSentimentModelHearsSupport: messages to support, written for this
// test (no tweet of the labelled sets), that the rules alone misread and
// the learned model reads right; each fails without the model. Of the 57
// sentences written to look for them, the model fixed these 7 and broke 2
// the rules had right ("Best app ever, been using it every day for
// years" read negative, "Logging out and back in did it, cheers"
// neutral): it is judged on the tweets, not here.
func TestSentimentModelHearsSupport(t *testing.T) {
	a := New(nil, Options{})
	tests := []struct{ text, want string }{
		{"Premium was renewed but I still get ads between songs", "negative"},
		{"I reinstalled twice and the songs still skip halfway", "negative"},
		{"Thanks for the reply but the app still closes when I open search", "negative"},
		{"Half my liked songs are greyed out since this morning", "negative"},
		{"Every time I skip a song the app restarts the album", "negative"},
		{"I can hear the song but the screen stays black", "negative"},
		{"I'm on the free plan in Germany", "neutral"},
	}
	for _, tt := range tests {
		f := saydo.Feedback{Text: tt.text, Kind: "social"}
		a.AnalyzeFeedback(&f)
		if got := f.Analysis.Label; got != tt.want {
			t.Errorf("%q as a social post: %s (%.3f), want %s", tt.text, got, f.Analysis.Sentiment, tt.want)
		}
		if got := a.Analyze(tt.text, "").Label; got == tt.want {
			t.Errorf("%q: the rules alone read %s already; the case no longer shows the model", tt.text, got)
		}
		// The label and the score agree.
		switch s := f.Analysis.Sentiment; {
		case f.Analysis.Label == "negative" && s > -0.05, f.Analysis.Label == "positive" && s < 0.05,
			f.Analysis.Label == "neutral" && (s <= -0.05 || s >= 0.05):
			t.Errorf("%q: label %s with sentiment %v", tt.text, f.Analysis.Label, s)
		}
	}
}

// TestSentimentModelScope: the model reads English messages to support
// only; reviews, surveys, feedback of no kind, Analyze and Romanian keep
// the rules, and Options.SupportKinds chooses the kinds.
func TestSentimentModelScope(t *testing.T) {
	const en = "Half my liked songs are greyed out since this morning"
	const ro = "Jumătate din melodiile mele apreciate sunt gri de azi dimineață"
	a := New(nil, Options{})
	rules := func(text string) string { return a.Analyze(text, "").Label }
	for _, tt := range []struct {
		name, text, kind string
		opts             Options
		want             string
	}{
		{"social", en, "social", Options{}, "negative"},
		{"complaint", en, "complaint", Options{}, "negative"},
		{"ticket", en, "ticket", Options{}, "negative"},
		{"call", en, "call", Options{}, "negative"},
		{"review keeps the rules", en, "review", Options{}, rules(en)},
		{"survey keeps the rules", en, "survey", Options{}, rules(en)},
		{"no kind keeps the rules", en, "", Options{}, rules(en)},
		{"Romanian keeps the rules", ro, "social", Options{}, rules(ro)},
		{"model turned off", en, "social", Options{SupportKinds: []string{}}, rules(en)},
		{"a kind of one's own", en, "chat", Options{SupportKinds: []string{"chat"}}, "negative"},
	} {
		f := saydo.Feedback{Text: tt.text, Kind: tt.kind}
		New(nil, tt.opts).AnalyzeFeedback(&f)
		if f.Analysis.Label != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, f.Analysis.Label, tt.want)
		}
	}
	if rules(en) == "negative" {
		t.Errorf("the rules alone read %q negative: the scope cases no longer tell the model from the rules", en)
	}
}

// TestSentimentModelSums: the model's probabilities over tokens, as
// analyze computes them, are those of Classifier.predictFeatures over
// sentimentFeatures to the last bit, so stored analyses are the same in
// every process.
func TestSentimentModelSums(t *testing.T) {
	m := learnedSentiment()
	a := New(nil, Options{})
	for _, text := range append([]string{
		"Thanks for the reply but the app still closes when I open search",
		"Sorted now, you guys are quick!",
		"How do I move my playlists to a new account?",
		"I have called five times and nobody picks up the phone. Still waiting!!",
		"",
	}, benchTexts...) {
		s := &scratch{}
		lm, _, toks := s.read(text, "en")
		s.matches = lm.patterns.find(lm, toks, s.matches[:0])
		r := a.score(lm, text, toks, s)
		got := slices.Clone(m.probabilities(lm, toks, r, s))
		fs := sentimentFeatures(lm, toks, r)
		label, p := m.c.predictFeatures(fs)
		best := slices.Index(m.c.labels, label)
		if math.Float64bits(got[best]) != math.Float64bits(p) {
			t.Errorf("%q: P(%s) = %v over tokens, %v over features", text, label, got[best], p)
		}
	}
}

// TestParseSentimentModel: the embedded model reads, with the three labels;
// a damaged file is an error, not a model.
func TestParseSentimentModel(t *testing.T) {
	c, err := parseSentimentModel(sentimentModelText)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.vocab) < 100 || len(c.labels) != 3 {
		t.Errorf("embedded model: %d features, labels %v", len(c.vocab), c.labels)
	}
	head := sentimentModelHeader + "\nlabels\tnegative\tneutral\tpositive\nbias\t0\t0\t0\n"
	for name, text := range map[string]string{
		"no header":      "labels\tnegative\tneutral\tpositive\n",
		"no biases":      sentimentModelHeader + "\nlabels\tnegative\tneutral\tpositive\n",
		"short line":     head + "again\t1\t2\n",
		"bad number":     head + "again\t1\t2\tx\n",
		"repeated":       head + "again\t1\t2\t3\nagain\t1\t2\t3\n",
		"missing label":  sentimentModelHeader + "\nlabels\tnegative\tpositive\nbias\t0\t0\n",
		"labels missing": sentimentModelHeader + "\nbias\t0\t0\t0\n",
	} {
		if _, err := parseSentimentModel(text); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := parseSentimentModel(head + "# a comment\nagain\t1\t-2.5\t3e-3\n"); err != nil {
		t.Errorf("a good file: %v", err)
	}
}

// TestSentimentModelVersion: the embedded weights are the ones Version
// names; new weights change stored analyses, so Version must change too.
func TestSentimentModelVersion(t *testing.T) {
	sum := sha256.Sum256([]byte(sentimentModelText))
	if got := hex.EncodeToString(sum[:])[:len(sentimentModelSum)]; got != sentimentModelSum {
		t.Errorf("sentiment_model.txt has SHA-256 %s…, sentimentModelSum says %s: bump Version (fingerprint.go) and set sentimentModelSum to %q", got, sentimentModelSum, got)
	}
}
