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

func bankSplits(t *testing.T) []zeroShotSplit {
	dir := dataDir(t)
	var out []zeroShotSplit
	for _, f := range []struct{ name, file string }{{"dev: train.csv", "train.csv"}, {"held out: test.csv", "test.csv"}} {
		ex := readBanking(t, dir, f.file)
		for i := range ex {
			g, ok := bankGold[ex[i].Label]
			if !ok {
				g = "none"
			}
			ex[i].Label = g
		}
		out = append(out, zeroShotSplit{f.name, ex})
	}
	return out
}

func cfpbSplits(t *testing.T) []zeroShotSplit {
	dir := dataDir(t)
	var dev, held []Example
	for i, row := range readTable(t, filepath.Join(dir, "cfpb_consumer_complaints/complaints_sample.csv"), ',') {
		text := strings.TrimSpace(row["Consumer complaint narrative"])
		if text == "" {
			continue
		}
		g, ok := cfpbGold[row["Issue"]]
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
func TestRealZeroShot(t *testing.T) {
	for _, sp := range bankSplits(t) {
		zeroShotReport(t, "BANKING77", bankPromises, sp)
	}
	for _, sp := range cfpbSplits(t) {
		zeroShotReport(t, "CFPB", cfpbPromises, sp)
	}
}
