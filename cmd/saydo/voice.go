package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/voice"
)

var voiceCommand = &command{
	name:  "voice",
	args:  "[evaluate --label COLUMN FILE]",
	short: "what customers say about each promise, and what they raise that no promise covers",
	help: `Reads the stored feedback (import it with 'saydo ingest feedback') and reports,
per promise: the customers who mention it, the share negative and angry, the
effort they spent (repeat contact, transfers, long holds, "your call is
important to us" loops), their NPS, CSAT and CES, and the quotes that say it
best. Then the unmet expectations: themes that recur in negative feedback
matching no promise (significant words and phrases against the rest of the
corpus), each named by the phrase most of its items say, one theme across
English and Romanian, with counts, trend by month and quotes; --theme N
lists a theme's items. When too little stands out, it says how many more
items are needed. Then the iceberg: complaints seen against dissatisfied
customers estimated with assumed complaint rates.

Feedback is mapped to promises from each promise's says, voice phrases and
metric, in English and Romanian; stored items carrying a label that names a
promise teach a classifier that adds to that mapping, and with no labels the
mapping learns from your own feedback (self-training, from 512 items: what
the promise's words match surely teaches it the rest). Every item was
analysed at import and the report reads per-day summaries, so it takes about
the same time at any size; after saydo.yaml changes a promise's says, metric
or voice phrases, the first report learns the mapping again and maps
every item again once (also when the items double; sentiment and the rest
are kept). The first import into a new store learns the mapping from its
own items before it analyses them, so each is analysed once.

'saydo voice evaluate' measures the mapping on labelled data: supervised
(cross-validated, or --test), and, when labels name promises of the
workspace, zero-shot and self-trained with the labels hidden.

Examples:
  saydo voice
  saydo voice --promise answer-in-2-min --format markdown
  saydo voice --format json --from 2026-01-01 --to 2026-07-01
  saydo voice --complaint-rate minor=0.05 --complaint-rate serious=0.4
  saydo voice --each --format jsonl > analysed.jsonl
  saydo voice --theme 2                              the items behind theme 2
  saydo voice --theme 2 --format jsonl
  saydo voice evaluate --label issue complaints.csv --folds 5
  saydo voice evaluate --label category --test test.csv train.csv`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "promise", "", "only the promise with this `ID`")
		o.defStr(fs, "format", "table", "output `table|json|markdown` (with --each: jsonl)")
		o.defStr(fs, "from", "", "first `DAY` of feedback (YYYY-MM-DD)")
		o.defStr(fs, "to", "", "last `DAY` of feedback, inclusive")
		o.defBool(fs, "each", false, "one JSON line per feedback item with its analysis")
		o.defInt(fs, "themes", 8, "how many unmet-expectation themes to list")
		o.defInt(fs, "theme", 0, "list the items of unmet-expectation theme `N` (as numbered in the report)")
		o.defList(fs, "complaint-rate", "assumed share of dissatisfied customers who complain: `SEVERITY=RATE` (minor, serious; repeatable)")
		o.defStr(fs, "label", "", "evaluate: the `COLUMN` holding the label (a promise id or topic)")
		o.defStr(fs, "text", "text", "evaluate: the `COLUMN` holding the text")
		o.defInt(fs, "folds", 5, "evaluate: k of k-fold cross-validation")
		o.defStr(fs, "model", "logistic", "evaluate: supervised `MODEL` logistic|bayes|complement")
		o.defInt(fs, "min-count", 1, "evaluate: leave out labels with fewer than `N` rows")
		o.defStr(fs, "input-format", "", "evaluate: input `csv|tsv|jsonl` (default: from the file extension)")
		o.defStr(fs, "test", "", "evaluate: train on FILE and test on this `FILE` instead of cross-validating")
	},
	run: runVoice,
}

func init() {
	extraCommands = append(extraCommands, voiceCommand)
	attachVoice = func(ctx context.Context, st saydo.Store, ws *saydo.Workspace, q ledger.GapQuery, rep *saydo.GapReport) {
		vs, err := promiseVoices(ctx, st, ws, q.From, q.To)
		if err != nil {
			return
		}
		for i := range rep.Promises {
			rep.Promises[i].Voice = vs[rep.Promises[i].ID]
		}
	}
	demoSections = append(demoSections, func(ctx context.Context, e *env, o options, ws *saydo.Workspace, st saydo.Store) error {
		rep, err := buildVoiceReport(ctx, st, ws, voiceQuery{themes: 6})
		if err != nil {
			return err
		}
		writeVoiceTable(e.stdout, ws, rep)
		return nil
	})
}

// voiceQuery selects and shapes a voice report.
type voiceQuery struct {
	promise  string
	from, to time.Time
	themes   int
	rates    voice.ComplaintRates
	// themeSample caps the items theme discovery reads (0: the default).
	themeSample int
	// now stamps the report; zero means the wall clock.
	now time.Time
}

// voiceReport is the output of 'saydo voice --format json'.
type voiceReport struct {
	GeneratedAt time.Time `json:"generated_at"`
	From        string    `json:"from,omitempty"`
	To          string    `json:"to,omitempty"`
	// Items is how many feedback items were read.
	Items int64 `json:"items"`
	// Negative is how many of them are negative.
	Negative int64 `json:"negative"`
	// Unmapped is how many negative items match no promise.
	Unmapped int64 `json:"negative_unmapped"`
	Learned  bool  `json:"learned_from_labels"`
	// SelfTrained is how many of the stored items' texts the mapping
	// learned from without labels (0: it did not).
	SelfTrained int64 `json:"self_trained_on,omitempty"`
	// SelfTrainOff says saydo.yaml turns self-training off (voice:
	// self_train: false).
	SelfTrainOff bool              `json:"self_train_off,omitempty"`
	Promises     []promiseVoiceRow `json:"promises"`
	Unmet        []saydo.Theme     `json:"unmet_expectations"`
	// ThemeSample is how many negative unmatched items the themes were
	// found in (fewer than negative_unmapped: a uniform sample, counts
	// estimated); ThemesNeed how many more are needed before one can
	// stand out (0: enough).
	ThemeSample int64            `json:"theme_sample"`
	ThemesNeed  int64            `json:"themes_need_more"`
	Iceberg     saydo.Iceberg    `json:"iceberg"`
	Langs       map[string]int64 `json:"languages"`
	byID        map[string]*saydo.PromiseVoice
}

type promiseVoiceRow struct {
	ID   string `json:"id"`
	Says string `json:"says"`
	*saydo.PromiseVoice
}

// promiseVoices returns what customers say about each promise, from the
// feedback with from <= At < to (zero times are unbounded), for 'saydo gap'
// to attach as each promise's voice: read from the stored day summaries.
func promiseVoices(ctx context.Context, st saydo.Store, ws *saydo.Workspace, from, to time.Time) (map[string]*saydo.PromiseVoice, error) {
	sum, err := ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{From: from, To: to, NoThemes: true})
	if err != nil {
		return nil, err
	}
	return sum.Promises, nil
}

// buildVoiceReport summarises the stored feedback in range (see
// ledger.VoiceSummary).
func buildVoiceReport(ctx context.Context, st saydo.Store, ws *saydo.Workspace, q voiceQuery) (*voiceReport, error) {
	sum, err := ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{From: q.from, To: q.to, Themes: q.themes, Rates: q.rates, ThemeSample: q.themeSample})
	if err != nil {
		return nil, err
	}
	now := q.now
	if now.IsZero() {
		now = time.Now()
	}
	rep := &voiceReport{GeneratedAt: now.UTC(), Items: sum.Items, Negative: sum.Negative, Unmapped: sum.Unmapped,
		Learned: sum.Learned, SelfTrained: sum.SelfTrained, SelfTrainOff: ws.Voice.NoSelfTrain, Unmet: sum.Unmet, ThemeSample: sum.ThemeSample, ThemesNeed: sum.ThemesNeed,
		Iceberg: sum.Iceberg, Langs: sum.Languages, byID: sum.Promises}
	for _, p := range ws.Promises {
		if q.promise != "" && p.ID != q.promise {
			continue
		}
		v := rep.byID[p.ID]
		if v == nil {
			v = &saydo.PromiseVoice{Effort: map[string]int64{}, Quotes: []string{}}
		}
		rep.Promises = append(rep.Promises, promiseVoiceRow{ID: p.ID, Says: p.Says, PromiseVoice: v})
	}
	sort.SliceStable(rep.Promises, func(i, j int) bool { return rep.Promises[i].Mentions > rep.Promises[j].Mentions })
	if !q.from.IsZero() {
		rep.From = q.from.Format(time.DateOnly)
	}
	if !q.to.IsZero() {
		rep.To = q.to.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return rep, nil
}

func runVoice(ctx context.Context, e *env, o options, args []string) error {
	if len(args) > 0 && args[0] == "evaluate" {
		return runVoiceEvaluate(ctx, e, o, args[1:])
	}
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (did you mean 'saydo voice evaluate'?)", args[0])}
	}
	q := voiceQuery{promise: o.str("promise"), themes: o.integer("themes"), rates: voice.DefaultComplaintRates()}
	if q.themes < 1 || q.themes > 1000 {
		return usageError{fmt.Sprintf("--themes %d: want how many themes to list, 1 to 1000", q.themes)}
	}
	if n := o.integer("theme"); n < 0 || n > 1000 {
		return usageError{fmt.Sprintf("--theme %d: want a theme's number as the report numbers them, from 1", n)}
	}
	if e.now != nil {
		q.now = e.now()
	}
	var err error
	if q.from, q.to, err = dayRange(o.str("from"), o.str("to")); err != nil {
		return usageError{err.Error()}
	}
	for _, r := range o.list("complaint-rate") {
		sev, v, ok := strings.Cut(r, "=")
		x, perr := strconv.ParseFloat(v, 64)
		if !ok || perr != nil || x <= 0 || x > 1 {
			return usageError{fmt.Sprintf("--complaint-rate %q: want SEVERITY=RATE with RATE in (0,1], e.g. serious=0.5", r)}
		}
		q.rates[sev] = voice.ComplaintRate{Rate: x, Source: "set with --complaint-rate (assumption)"}
	}
	format := o.str("format")
	if o.boolean("each") || o.integer("theme") != 0 {
		if format != "table" && format != "jsonl" && format != "json" {
			return usageError{fmt.Sprintf("--each --format %q: want jsonl", format)}
		}
	} else {
		switch format {
		case "table", "json", "markdown", "md":
		default:
			return usageError{fmt.Sprintf("--format %q: want table, json or markdown", format)}
		}
	}
	ws, err := loadWorkspace(e, o)
	if err != nil {
		return err
	}
	if q.promise != "" {
		if _, ok := ws.Promise(q.promise); !ok {
			return usageError{fmt.Sprintf("--promise %q: no such promise in saydo.yaml", q.promise)}
		}
	}
	st, err := openStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	if o.boolean("each") {
		return writeVoiceEach(ctx, e.stdout, st, ws, q)
	}
	if n := o.integer("theme"); n != 0 {
		return writeThemeItems(ctx, e.stdout, st, ws, q, n, format)
	}
	rep, err := buildVoiceReport(ctx, st, ws, q)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "markdown", "md":
		writeVoiceMarkdown(e.stdout, rep)
	default:
		writeVoiceTable(e.stdout, ws, rep)
	}
	return nil
}

// dayRange parses --from and --to (inclusive) into [from, to).
func dayRange(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	var err error
	if from != "" {
		if f, err = time.Parse(time.DateOnly, from); err != nil {
			return f, t, fmt.Errorf("--from %q: want YYYY-MM-DD", from)
		}
	}
	if to != "" {
		if t, err = time.Parse(time.DateOnly, to); err != nil {
			return f, t, fmt.Errorf("--to %q: want YYYY-MM-DD", to)
		}
		t = t.AddDate(0, 0, 1)
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return f, t, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	return f, t, nil
}

// eachLine is one line of 'saydo voice --each --format jsonl'.
type eachLine struct {
	ID        string          `json:"id"`
	Lang      string          `json:"lang"`
	Sentiment float64         `json:"sentiment"`
	Label     string          `json:"label"`
	Anger     bool            `json:"anger"`
	Effort    []string        `json:"effort"`
	Promises  []saydo.Mention `json:"promises"`
}

func writeVoiceEach(ctx context.Context, w io.Writer, st saydo.Store, ws *saydo.Workspace, q voiceQuery) error {
	if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
		return fmt.Errorf("refresh voice: %w", err)
	}
	enc := json.NewEncoder(w)
	return st.ScanFeedback(ctx, q.from, q.to, func(f *saydo.Feedback) error {
		l := eachLine{ID: f.SourceID, Lang: f.Lang, Sentiment: math.Round(f.Analysis.Sentiment*1000) / 1000,
			Label: f.Analysis.Label, Anger: f.Analysis.Anger, Effort: f.Analysis.Effort, Promises: f.Analysis.Promises}
		if math.IsNaN(l.Sentiment) {
			l.Sentiment = 0
		}
		if l.ID == "" {
			l.ID = strconv.FormatUint(f.Key, 10)
		}
		if l.Label == "" {
			l.Label = "neutral"
		}
		if l.Effort == nil {
			l.Effort = []string{}
		}
		if l.Promises == nil {
			l.Promises = []saydo.Mention{}
		}
		if q.promise != "" && !mentions(l.Promises, q.promise) {
			return nil
		}
		return enc.Encode(l)
	})
}

// themeLine is one line of 'saydo voice --theme N --format jsonl'.
type themeLine struct {
	eachLine
	At   string `json:"at"`
	Text string `json:"text"`
}

// writeThemeItems lists the items behind theme n of the report. The
// themes are found as the report finds them (the same sample of the other
// items, whose counts decide which words stand out), so theme n is the
// report's theme n; when the negative unmatched items themselves were
// sampled (more than the theme sample), the list is of the sampled ones
// and says so.
func writeThemeItems(ctx context.Context, w io.Writer, st saydo.Store, ws *saydo.Workspace, q voiceQuery, n int, format string) error {
	if q.themes < n {
		q.themes = n
	}
	rep, err := buildVoiceReport(ctx, st, ws, q)
	if err != nil {
		return err
	}
	if n < 1 || n > len(rep.Unmet) {
		return usageError{fmt.Sprintf("--theme %d: only %d %s stand out (numbered in saydo voice --themes %d)", n, len(rep.Unmet), plural(len(rep.Unmet), "theme", "themes"), max(n, 8))}
	}
	th := rep.Unmet[n-1]
	items, err := st.FeedbackByKeys(ctx, th.Keys)
	if err != nil {
		return err
	}
	if format == "jsonl" || format == "json" {
		enc := json.NewEncoder(w)
		for i := range items {
			f := &items[i]
			l := themeLine{eachLine: eachLine{ID: f.SourceID, Lang: f.Lang, Sentiment: math.Round(f.Analysis.Sentiment*1000) / 1000,
				Label: f.Analysis.Label, Anger: f.Analysis.Anger, Effort: f.Analysis.Effort, Promises: []saydo.Mention{}},
				At: f.At.Format(time.RFC3339), Text: f.Text}
			if l.ID == "" {
				l.ID = strconv.FormatUint(f.Key, 10)
			}
			if l.Effort == nil {
				l.Effort = []string{}
			}
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		return nil
	}
	count := thousands(int64(len(items))) + " items"
	if th.Count > int64(len(items)) {
		count += fmt.Sprintf(" (a uniform sample: about %s in all)", thousands(th.Count))
	}
	fmt.Fprintf(w, "Theme %d: %s — %s\n  words: %s\n\n", n, themeTitle(th), count, strings.Join(th.Terms, ", "))
	for i := range items {
		f := &items[i]
		id := f.SourceID
		if id == "" {
			id = strconv.FormatUint(f.Key, 10)
		}
		fmt.Fprintf(w, "%s  %-14s %-3s %s\n", f.At.Format(time.DateOnly), shorten(id, 14), f.Lang, shorten(f.Text, 120))
	}
	return nil
}

func mentions(ms []saydo.Mention, id string) bool {
	for _, m := range ms {
		if m.PromiseID == id {
			return true
		}
	}
	return false
}
