package voice

import (
	"testing"
)

// promiseMacro is macro-F1, precision and recall over an evaluation's
// classes other than "none": the figures zeroShotReport prints, for an
// Evaluation that scored "none" as a class.
func promiseMacro(ev Evaluation) (f1, p, r float64) {
	n := 0
	for _, c := range ev.Classes {
		if c.Label == "none" {
			continue
		}
		f1 += c.F1
		p += c.Precision
		r += c.Recall
		n++
	}
	if n == 0 {
		return 0, 0, 0
	}
	return f1 / float64(n), p / float64(n), r / float64(n)
}

// TestRealCFPBSupervisedCeiling: how well saydo's supervised models map
// CFPB narratives to the eight promises of promises_eval_test.go and
// "none" with the labels visible (5-fold cross-validation), an upper
// bound for the zero-shot mapping, which sees no label (docs/voice.md).
// The dev rows print per promise; all rows (dev and held out) print
// macro figures only.
func TestRealCFPBSupervisedCeiling(t *testing.T) {
	sp := cfpbSplits(t)
	all := append(append([]Example(nil), sp[0].items...), sp[1].items...)
	for _, model := range []string{"logistic", "bayes", "complement"} {
		for _, set := range []struct {
			name  string
			items []Example
		}{{"dev: even rows", sp[0].items}, {"all rows", all}} {
			ev := CrossValidate(set.items, 5, 1, TrainOptions{Model: model})
			f1, p, r := promiseMacro(ev)
			t.Logf("CFPB supervised %-10s %-15s n=%4d 5-fold CV macro-F1 %.3f  macro-P %.3f macro-R %.3f", model, set.name, len(set.items), f1, p, r)
			if set.name == "dev: even rows" && testing.Verbose() {
				logClasses(t, "    ", ev)
			}
			if f1 <= 0 || f1 > 1 {
				t.Errorf("%s on %s: macro-F1 %.3f, want in (0, 1]", model, set.name, f1)
			}
		}
	}
}

// TestRealZeroShotSeedPurity: of the items the zero-shot mapping matches
// surely (SelfTrain's seeds), how many carry their promise's label, on
// the dev splits: what self-training learns from (docs/voice.md).
func TestRealZeroShotSeedPurity(t *testing.T) {
	for _, d := range []struct {
		name  string
		split zeroShotSplit
		an    *Analyzer
	}{
		{"BANKING77", bankSplits(t)[0], New(bankPromises, Options{})},
		{"CFPB", cfpbSplits(t)[0], New(cfpbPromises, Options{})},
	} {
		seeds, right := map[string]int{}, map[string]int{}
		total, totalRight := 0, 0
		for _, e := range d.split.items {
			a := d.an.Analyze(e.Text, e.Lang)
			if len(a.Promises) == 0 || a.Promises[0].Score < defaultSeed {
				continue
			}
			p := a.Promises[0].PromiseID
			seeds[p]++
			total++
			if e.Label == p {
				right[p]++
				totalRight++
			}
		}
		if total == 0 {
			t.Errorf("%s %s: no seeds", d.name, d.split.name)
			continue
		}
		t.Logf("%s %s: %d seeds, %.2f of them carry their promise's label", d.name, d.split.name, total, float64(totalRight)/float64(total))
		if testing.Verbose() {
			for _, p := range sortedKeys(seeds) {
				t.Logf("    %-30s seeds %4d  label right %.2f", p, seeds[p], float64(right[p])/float64(seeds[p]))
			}
		}
	}
}
