package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/voice"
)

// runVoiceEvaluate measures how well feedback maps to labels: k-fold
// cross-validation of the supervised classifier, and, when labels name the
// workspace's promises, the zero-shot mapping on the same rows.
func runVoiceEvaluate(ctx context.Context, e *env, o options, args []string) error {
	if len(args) != 1 {
		return usageError{"evaluate wants one FILE of labelled feedback, e.g. saydo voice evaluate --label issue complaints.csv"}
	}
	labelCol := o.str("label")
	if labelCol == "" {
		return usageError{"evaluate needs --label COLUMN: the column naming the promise or topic of each row"}
	}
	k := o.integer("folds")
	if k < 2 {
		return usageError{fmt.Sprintf("--folds %d: want at least 2", k)}
	}
	model := o.str("model")
	switch model {
	case "logistic", "bayes", "complement":
	default:
		return usageError{fmt.Sprintf("--model %q: want logistic, bayes or complement", model)}
	}
	topts := voice.TrainOptions{Model: model}
	train, err := readExamples(e, o, args[0], labelCol)
	if err != nil {
		return fmt.Errorf("%s: %w", displayName(args[0]), err)
	}
	if n := o.integer("min-count"); n > 1 {
		count := map[string]int{}
		for _, x := range train {
			count[x.Label]++
		}
		kept := train[:0]
		for _, x := range train {
			if count[x.Label] >= n {
				kept = append(kept, x)
			}
		}
		train = kept
	}
	if len(train) < k {
		return problems("%s: %d labelled rows with text; need at least %d", displayName(args[0]), len(train), k)
	}
	w := e.stdout
	if test := o.str("test"); test != "" {
		tex, err := readExamples(e, o, test, labelCol)
		if err != nil {
			return fmt.Errorf("%s: %w", displayName(test), err)
		}
		c := voice.Train(train, topts)
		var gold, pred []string
		for _, x := range tex {
			p, _ := c.Predict(x.Text, x.Lang)
			gold = append(gold, x.Label)
			pred = append(pred, p)
		}
		fmt.Fprintf(w, "Supervised (%s over stems, concepts and word pairs): trained on %s rows of %s, tested on %s rows of %s\n",
			model, thousands(int64(len(train))), displayName(args[0]), thousands(int64(len(tex))), displayName(test))
		writeEvaluation(w, voice.Evaluate(gold, pred, ""))
	} else {
		fmt.Fprintf(w, "Supervised (%s over stems, concepts and word pairs): %d-fold cross-validation on %s rows of %s\n",
			model, k, thousands(int64(len(train))), displayName(args[0]))
		writeEvaluation(w, voice.CrossValidate(train, k, 1, topts))
	}
	// Zero-shot, when labels name promises of the workspace.
	ws, err := loadWorkspace(e, o)
	if err != nil {
		fmt.Fprintf(w, "\nZero-shot mapping not evaluated: %v\n", err)
		return nil
	}
	ids := map[string]bool{}
	for _, p := range ws.Promises {
		ids[p.ID] = true
	}
	matching := 0
	var rows []voice.Example
	for _, x := range train {
		if ids[x.Label] {
			matching++
		} else {
			x.Label = "none"
		}
		rows = append(rows, x)
	}
	if matching == 0 {
		fmt.Fprintln(w, "\nZero-shot mapping not evaluated: no label names a promise of the workspace.")
		return nil
	}
	an := voice.New(ws.Promises, voice.Options{})
	gold := make([]string, len(rows))
	for i := range rows {
		gold[i] = rows[i].Label
	}
	fmt.Fprintf(w, "\nZero-shot (promise wording only, no training) on the %s rows; labels that name no promise count as \"none\"\n", thousands(int64(len(rows))))
	pred := an.ZeroShot(rows, "none")
	words := voice.Evaluate(gold, pred, "none")
	writeEvaluation(w, words)
	writeNoneMapped(w, gold, pred)
	hidden := make([]voice.Example, len(rows))
	for i, x := range rows {
		hidden[i] = voice.Example{Text: x.Text, Lang: x.Lang}
	}
	if c := voice.SelfTrain(ws.Promises, hidden, voice.SelfTrainOptions{}); c != nil {
		st := voice.New(ws.Promises, voice.Options{Classifier: c, MinProbability: voice.SelfTrainedMinProbability})
		fmt.Fprintln(w, "\nSelf-trained on the same rows' texts, labels hidden (the promise wording's surest matches teach a classifier)")
		pred := st.ZeroShot(rows, "none")
		learned := voice.Evaluate(gold, pred, "none")
		writeEvaluation(w, learned)
		writeNoneMapped(w, gold, pred)
		fmt.Fprintln(w, "\n"+mappingAdvice(words.MacroF1, learned.MacroF1, ws.Voice.NoSelfTrain))
	}
	return nil
}

// mappingAdvice says which mapping served the labelled rows better, by
// macro-F1, and what saydo.yaml should say for the stored analyses to use
// it: self-training loses where the promises cover nearly everything
// customers write (docs/voice.md, "A fourth blind set").
func mappingAdvice(words, learned float64, off bool) string {
	setting := "saydo.yaml lets saydo learn from your feedback (the default)"
	if off {
		setting = "saydo.yaml turns that off (voice: self_train: false)"
	}
	switch {
	case learned > words+0.01:
		s := fmt.Sprintf("Self-training maps these rows better (macro-F1 %.3f against %.3f for the wording alone); %s", learned, words, setting)
		if off {
			return s + ": remove self_train: false to use it."
		}
		return s + "."
	case words > learned+0.01:
		s := fmt.Sprintf("The promise wording alone maps these rows better (macro-F1 %.3f against %.3f self-trained); %s", words, learned, setting)
		if off {
			return s + "."
		}
		return s + ": set voice: {self_train: false} to map by the wording alone."
	default:
		return fmt.Sprintf("Both mappings do about as well on these rows (macro-F1 %.3f self-trained, %.3f the wording alone); %s.", learned, words, setting)
	}
}

func writeEvaluation(w io.Writer, ev voice.Evaluation) {
	fmt.Fprintf(w, "  %-44s %9s %6s %6s %7s\n", "LABEL", "PRECISION", "RECALL", "F1", "SUPPORT")
	for _, c := range ev.Classes {
		fmt.Fprintf(w, "  %-44s %9.3f %6.3f %6.3f %7d\n", shorten(c.Label, 44), c.Precision, c.Recall, c.F1, c.Support)
	}
	var p, r float64
	for _, c := range ev.Classes {
		p += c.Precision
		r += c.Recall
	}
	n := float64(max(len(ev.Classes), 1))
	fmt.Fprintf(w, "  accuracy %.3f   macro-F1 %.3f   macro-precision %.3f   macro-recall %.3f   (%s rows)\n",
		ev.Accuracy, ev.MacroF1, p/n, r/n, thousands(int64(ev.N)))
}

// writeNoneMapped prints how many rows whose label names no promise the
// mapping gave a promise: what recall costs.
func writeNoneMapped(w io.Writer, gold, pred []string) {
	none, mapped := 0, 0
	for i := range gold {
		if gold[i] == "none" {
			none++
			if pred[i] != "none" {
				mapped++
			}
		}
	}
	if none > 0 {
		fmt.Fprintf(w, "  rows about no promise given one: %.1f%% (%s of %s)\n", 100*float64(mapped)/float64(none), thousands(int64(mapped)), thousands(int64(none)))
	}
}

// readExamples reads rows with text and a label from a CSV, TSV or JSON
// Lines file; --text names the text column. Rows
// without text or label are skipped.
func readExamples(e *env, o options, path, labelCol string) ([]voice.Example, error) {
	// --format is the report's; the input's is --input-format or the
	// file's extension.
	inFormat := o.str("input-format")
	format, err := inputFormat(options{"format": &inFormat}, path)
	if err != nil {
		return nil, err
	}
	in, _, err := openInput(e, path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	rr, err := newRowReader(format, bufio.NewReaderSize(in, 1<<20))
	if err != nil {
		return nil, err
	}
	textCol := o.str("text")
	var out []voice.Example
	var names []string
	ti, li, gi := -1, -1, -1
	for {
		row, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if row.Err != nil {
			continue
		}
		if !slices.Equal(names, row.Names) {
			names = slices.Clone(row.Names) // JSON Lines readers reuse theirs
			ti, li, gi = column(names, textCol), column(names, labelCol), column(names, "lang")
			if ti < 0 {
				return nil, fmt.Errorf("no column %q for the text (say --text COLUMN)", textCol)
			}
			if li < 0 {
				return nil, fmt.Errorf("no column %q for the label", labelCol)
			}
		}
		x := voice.Example{Text: field(&row, ti), Label: field(&row, li), Lang: field(&row, gi)}
		if x.Text != "" && x.Label != "" {
			out = append(out, x)
		}
	}
	return out, nil
}

func column(names []string, name string) int {
	for i, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

func field(row *saydo.Row, i int) string {
	if i < 0 || i >= len(row.Values) {
		return ""
	}
	return strings.TrimSpace(row.Values[i])
}
