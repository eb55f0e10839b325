package voice

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

// zeroShotSplit is one split of a zero-shot evaluation: texts with their
// gold promise ("none" for every other label), never shown to the mapper.
type zeroShotSplit struct {
	name  string
	items []Example
}

func bankSplits(t *testing.T) []zeroShotSplit { return bankSplitsOf(t, bankGold) }

// bankSplitsOf reads BANKING77's train.csv (dev) and test.csv (held out),
// each intent labelled with the promise gold names, else "none".
func bankSplitsOf(t *testing.T, gold map[string]string) []zeroShotSplit {
	return []zeroShotSplit{bankSplit(t, "dev: train.csv", "train.csv", gold), bankSplit(t, "held out: test.csv", "test.csv", gold)}
}

// bankSplit reads one BANKING77 file, each intent labelled with the
// promise gold names, else "none".
func bankSplit(t *testing.T, name, file string, gold map[string]string) zeroShotSplit {
	ex := readBanking(t, dataDir(t), file)
	for i := range ex {
		g, ok := gold[ex[i].Label]
		if !ok {
			g = "none"
		}
		ex[i].Label = g
	}
	return zeroShotSplit{name, ex}
}

func cfpbSplits(t *testing.T) []zeroShotSplit { return cfpbSplitsOf(t, cfpbGold) }

// cfpbSplitsOf reads the CFPB narratives, even rows (dev) and odd rows
// (held out), each issue labelled with the promise gold names, else "none".
func cfpbSplitsOf(t *testing.T, gold map[string]string) []zeroShotSplit {
	dir := dataDir(t)
	var dev, held []Example
	for i, row := range readTable(t, filepath.Join(dir, "cfpb_consumer_complaints/complaints_sample.csv"), ',') {
		text := strings.TrimSpace(row["Consumer complaint narrative"])
		if text == "" {
			continue
		}
		g, ok := gold[row["Issue"]]
		if !ok {
			g = "none"
		}
		e := Example{Text: text, Lang: "en", Label: g}
		if i%2 == 0 {
			dev = append(dev, e)
		} else {
			held = append(held, e)
		}
	}
	return []zeroShotSplit{{"dev: even rows", dev}, {"held out: odd rows", held}}
}

// zeroShotReport evaluates the mapping of split's texts to promises with
// no labels: as written (zero-shot) and self-trained on the split's own
// texts, labels hidden.
func zeroShotReport(t *testing.T, data string, promises []saydo.Promise, sp zeroShotSplit) {
	t.Helper()
	hidden := make([]Example, len(sp.items))
	gold := make([]string, len(sp.items))
	for i, e := range sp.items {
		hidden[i] = Example{Text: e.Text, Lang: e.Lang}
		gold[i] = e.Label
	}
	runs := []struct {
		name string
		an   *Analyzer
	}{{"zero-shot", New(promises, Options{})}}
	if c := SelfTrain(promises, hidden, SelfTrainOptions{}); c != nil {
		runs = append(runs, struct {
			name string
			an   *Analyzer
		}{"self-trained", New(promises, Options{Classifier: c, MinProbability: SelfTrainedMinProbability})})
	}
	for _, r := range runs {
		pred := r.an.ZeroShot(hidden, "none")
		ev := Evaluate(gold, pred, "none")
		fp, nNone := 0, 0
		var p, rc float64
		for i := range gold {
			if gold[i] == "none" {
				nNone++
				if pred[i] != "none" {
					fp++
				}
			}
		}
		for _, c := range ev.Classes {
			p += c.Precision
			rc += c.Recall
		}
		n := float64(len(ev.Classes))
		t.Logf("%s %-20s %-12s n=%5d macro-F1 %.3f  macro-P %.3f macro-R %.3f  other-topic items mapped %.1f%% (%d of %d)",
			data, sp.name, r.name, len(gold), ev.MacroF1, p/n, rc/n, 100*float64(fp)/float64(max(nNone, 1)), fp, nNone)
		if testing.Verbose() && r.name != "zero-shot" {
			logClasses(t, "    ", ev)
		}
	}
}

// TestRealZeroShot: the promises of promises_eval_test.go, mapped with no
// labels, on BANKING77 and CFPB complaints (docs/voice.md).
// The dev splits run as the subtest "dev" and the held-out ones as
// "heldout", so tuning can run the dev splits alone:
// go test ./voice -run 'RealZeroShot$/dev' -v.
func TestRealZeroShot(t *testing.T) {
	bank, cfpb := bankSplits(t), cfpbSplits(t)
	for i, split := range []string{"dev", "heldout"} {
		t.Run(split, func(t *testing.T) {
			zeroShotReport(t, "BANKING77", bankPromises, bank[i])
			zeroShotReport(t, "CFPB", cfpbPromises, cfpb[i])
		})
	}
}

// BenchmarkSelfTrain measures SelfTrain on 16,384 texts (the most the
// stored analyses learn from, ledger.SelfTrainSample): BANKING77's
// queries, cycled, with the bank promises.
func BenchmarkSelfTrain(b *testing.B) {
	dir := dataDir(b)
	var texts []Example
	for _, f := range []string{"train.csv", "test.csv"} {
		for _, row := range readTable(b, filepath.Join(dir, "customer_service/banking77", f), ',') {
			texts = append(texts, Example{Text: row["text"], Lang: "en"})
		}
	}
	corpus := make([]Example, 1<<14)
	for i := range corpus {
		corpus[i] = texts[i%len(texts)]
	}
	b.ResetTimer()
	for range b.N {
		if SelfTrain(bankPromises, corpus, SelfTrainOptions{}) == nil {
			b.Fatal("no model learned")
		}
	}
	b.ReportMetric(float64(len(corpus)*b.N)/b.Elapsed().Seconds(), "texts/s")
}

// TestRealZeroShotWithoutPhrases: the promises of TestRealZeroShot and
// the fresh bank promises with their voice phrases removed, as someone
// who writes only says and a metric has them (docs/voice.md, "Promises
// written without voice phrases"). Dev splits as "dev", the rest as
// "heldout".
func TestRealZeroShotWithoutPhrases(t *testing.T) {
	bank, cfpb := bankSplits(t), cfpbSplits(t)
	for i, split := range []string{"dev", "heldout"} {
		t.Run(split, func(t *testing.T) {
			zeroShotReport(t, "BANKING77, no phrases", withoutPhrases(bankPromises), bank[i])
			zeroShotReport(t, "CFPB, no phrases", withoutPhrases(cfpbPromises), cfpb[i])
			if split == "heldout" {
				zeroShotReport(t, "BANKING77 fresh promises, no phrases", withoutPhrases(freshBankPromises), bankSplit(t, "train.csv", "train.csv", freshBankGold))
			}
		})
	}
}

// withoutPhrases returns copies of promises with no voice phrases: what
// someone who writes only says and a metric gets.
func withoutPhrases(promises []saydo.Promise) []saydo.Promise {
	out := make([]saydo.Promise, len(promises))
	for i, p := range promises {
		p.Voice = nil
		out[i] = p
	}
	return out
}
