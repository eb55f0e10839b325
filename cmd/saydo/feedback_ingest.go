package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/voice"
)

// feedbackFields are the columns a feedback row may have besides
// attributes.
var feedbackFields = []string{"id", "at", "text", "customer", "channel", "kind", "lang", "nps", "csat", "ces", "rating", "label"}

// feedbackBatch is how many items each transaction commits: a killed
// import keeps every committed batch, and running it again skips them by
// key. Each commit also merges the batch into the voice day summaries
// (read, add, write each day and promise it touched), which a larger batch
// does less often (100,000 items: 5.1 CPU-seconds with batches of 5,000,
// 3.8 with 20,000; one run each on a loaded machine).
const feedbackBatch = 20000

// ingestFeedback imports feedback files: each row is validated, analysed
// (language, sentiment, anger, effort, promises) and stored with its
// analysis. The guarantees are those of observations: every row accounted
// for, rejects with line and reason, idempotent by saydo.FeedbackKey,
// committed in batches.
func ingestFeedback(ctx context.Context, e *env, o options, paths []string) error {
	opts, err := ingestOptions(o)
	if err != nil {
		return usageError{err.Error()}
	}
	opts.Now = e.now()
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	// Bring the stored analyses to the current promises first, so the new
	// items (analysed with them) need no second analysis: the refresh
	// after the import then only adds up the days it touched.
	if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
		return fmt.Errorf("refresh voice: %w", err)
	}
	an, err := ledger.VoiceAnalyzer(ctx, st, ws)
	if err != nil {
		return err
	}
	// What the customers say, kept per customer for outcome linkage.
	voices, err := ledger.StartVoiceImport(ctx, st, ws)
	if err != nil {
		return err
	}
	rejected, err := ingestFiles(e, o, paths, opts, func(rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error) {
		return importFeedback(ctx, voices.Track(st), an, rr, opts)
	}, auditImport(ctx, e, st, "feedback"))
	if err != nil {
		return err
	}
	if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
		return fmt.Errorf("refresh voice: %w", err)
	}
	if err := voices.Finish(ctx, st); err != nil {
		return fmt.Errorf("customer voices: %w", err)
	}
	// Outcomes join feedback with experiences: compute them now, so the
	// next report reads them back.
	if err := ledger.RefreshOutcomes(ctx, st, ws, e.now()); err != nil {
		return fmt.Errorf("refresh outcomes: %w", err)
	}
	if rejected > 0 {
		return problems("%d %s rejected", rejected, plural(int(rejected), "row", "rows"))
	}
	return nil
}

// feedbackColumns says which column holds each field for one header.
type feedbackColumns struct {
	names []string
	idx   map[string]int
	attr  []int
}

func resolveFeedbackColumns(names []string, m map[string]string) (*feedbackColumns, error) {
	c := &feedbackColumns{names: names, idx: map[string]int{}}
	pos := map[string]int{}
	for i, n := range names {
		k := strings.ToLower(strings.TrimSpace(n))
		if _, dup := pos[k]; !dup {
			pos[k] = i
		}
	}
	used := map[int]bool{}
	for _, f := range feedbackFields {
		col := f
		if mc, ok := m[f]; ok {
			col = strings.ToLower(strings.TrimSpace(mc))
			if _, ok := pos[col]; !ok {
				return nil, fmt.Errorf("--map %s=%s: no column %q in the header", f, mc, mc)
			}
		}
		if i, ok := pos[col]; ok {
			c.idx[f] = i
			used[i] = true
		}
	}
	for f := range m {
		if !hasString(feedbackFields, f) {
			return nil, fmt.Errorf("--map %s=…: %q is not a feedback field (want one of %s)", f, f, strings.Join(feedbackFields, ", "))
		}
	}
	for i, n := range names {
		if !used[i] && strings.TrimSpace(n) != "" {
			c.attr = append(c.attr, i)
		}
	}
	return c, nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *feedbackColumns) get(row *saydo.Row, set map[string]string, f string) string {
	if v, ok := set[f]; ok {
		return v
	}
	if i, ok := c.idx[f]; ok && i < len(row.Values) {
		return strings.TrimSpace(row.Values[i])
	}
	return ""
}

func sameFeedbackHeader(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// scoreRanges bound each score.
var scoreRanges = map[string][2]float64{"nps": {0, 10}, "csat": {1, 5}, "ces": {1, 7}, "rating": {1, 5}}

// maxFeedbackText is the longest feedback text kept, in bytes: far above
// any survey comment or review, far below what would burden the analysis.
const maxFeedbackText = 64 << 10

// parseFeedback validates one row into f, returning the reason it is
// rejected, or "".
func parseFeedback(row *saydo.Row, c *feedbackColumns, opts *ledger.IngestOptions, f *saydo.Feedback) string {
	*f = saydo.Feedback{NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()}
	for _, v := range row.Values {
		if !utf8.ValidString(v) {
			return "invalid UTF-8"
		}
	}
	at := c.get(row, opts.Set, "at")
	if at == "" {
		return "missing at: every item needs a time (map another column with --map at=COLUMN)"
	}
	t, err := saydo.ParseTime(at, opts.TimeLayout)
	if err != nil {
		return fmt.Sprintf("at %q: %v", at, err)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := saydo.CheckTime(t, now); err != nil {
		return "at: " + err.Error()
	}
	f.At = t
	f.SourceID = c.get(row, opts.Set, "id")
	f.Text = c.get(row, opts.Set, "text")
	f.Customer = c.get(row, opts.Set, "customer")
	f.Channel = c.get(row, opts.Set, "channel")
	f.Kind = strings.ToLower(c.get(row, opts.Set, "kind"))
	f.Lang = strings.ToLower(c.get(row, opts.Set, "lang"))
	f.Label = c.get(row, opts.Set, "label")
	for _, fv := range [...]struct{ name, v string }{{"id", f.SourceID}, {"customer", f.Customer}, {"channel", f.Channel}, {"kind", f.Kind}, {"lang", f.Lang}, {"label", f.Label}} {
		if reason := saydo.CheckAttr(fv.name, fv.v); reason != "" {
			return reason
		}
	}
	if len(f.Text) > maxFeedbackText {
		return fmt.Sprintf("text: %d bytes, longer than the limit of %d", len(f.Text), maxFeedbackText)
	}
	if i := strings.IndexByte(f.Text, 0); i >= 0 {
		// Never meant in a customer's words, and PostgreSQL cannot store it.
		return fmt.Sprintf("text: NUL character at byte %d", i+1)
	}
	hasScore := false
	for _, name := range []string{"nps", "csat", "ces", "rating"} {
		s := c.get(row, opts.Set, name)
		if s == "" {
			continue
		}
		v, err := saydo.ParseValue(s)
		if err != nil {
			return fmt.Sprintf("%s %q: %v", name, s, err)
		}
		r := scoreRanges[name]
		if v < r[0] || v > r[1] {
			return fmt.Sprintf("%s %g: want %g to %g", name, v, r[0], r[1])
		}
		hasScore = true
		switch name {
		case "nps":
			f.NPS = v
		case "csat":
			f.CSAT = v
		case "ces":
			f.CES = v
		case "rating":
			f.Rating = v
		}
	}
	if f.Text == "" && !hasScore {
		return "no text and no score: an item needs text or one of nps, csat, ces, rating"
	}
	for _, i := range c.attr {
		if i < len(row.Values) && row.Values[i] != "" {
			if reason := saydo.CheckAttr(row.Names[i], row.Values[i]); reason != "" {
				return reason
			}
			f.Attrs = append(f.Attrs, saydo.Attr{Name: row.Names[i], Value: row.Values[i]})
		}
	}
	if len(f.Attrs) > saydo.MaxAttrs {
		return fmt.Sprintf("%d attributes, more than the limit of %d", len(f.Attrs), saydo.MaxAttrs)
	}
	f.Attrs.Sort()
	return ""
}

// importFeedback reads every row of rr, analyses and stores the valid
// ones. Read = Accepted + Rejected + Duplicates + Replaced. Reading and analysis run
// on the calling goroutine while a second one writes the previous batch,
// so the two cores share the work.
func importFeedback(ctx context.Context, st saydo.FeedbackStore, an *voice.Analyzer, rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error) {
	start := time.Now()
	res := &ledger.IngestResult{Committed: true}

	// The writer owns tx, accepted and duplicates until it has finished.
	var tx saydo.FeedbackTx
	var accepted, duplicates, replaced int64
	days := ledger.NewVoiceDays()
	var fresh []bool
	write := func(b []saydo.Feedback) error {
		if tx == nil {
			var err error
			if tx, err = st.BeginFeedback(ctx); err != nil {
				return fmt.Errorf("store: %w", err)
			}
		}
		fresh = slices.Grow(fresh[:0], len(b))[:len(b)]
		n, r, err := tx.InsertNew(b, fresh)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		// New items go straight into the day summaries, in the same
		// transaction; the others' days were marked for RefreshVoice.
		for i := range b {
			if fresh[i] {
				days.Add(&b[i])
			}
		}
		if err := days.Merge(tx); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		accepted += int64(n)
		replaced += int64(r)
		duplicates += int64(len(b) - n - r)
		if opts.Strict {
			return nil
		}
		err = tx.Commit()
		tx = nil
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	}
	batches := make(chan []saydo.Feedback, 1)
	done := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				err = write(b)
			}
		}
		done <- err
	}()
	readErr := readFeedback(ctx, an, rr, &opts, res, batches)
	close(batches)
	writeErr := <-done
	if writeErr != nil || readErr != nil {
		if tx != nil {
			tx.Rollback()
		}
		if writeErr != nil {
			return nil, writeErr
		}
		return nil, readErr
	}
	if tx != nil {
		if opts.Strict && res.Rejected > 0 {
			if err := tx.Rollback(); err != nil {
				return nil, fmt.Errorf("store: %w", err)
			}
			res.Committed = false
			accepted, duplicates, replaced = 0, 0, 0
		} else if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	} else if opts.Strict && res.Rejected > 0 {
		res.Committed = false
	}
	res.Accepted, res.Duplicates, res.Replaced = accepted, duplicates, replaced
	res.Elapsed = time.Since(start)
	return res, nil
}

// readFeedback reads, validates and analyses rows, sending full batches
// to the writer.
func readFeedback(ctx context.Context, an *voice.Analyzer, rr saydo.RowReader, opts *ledger.IngestOptions, res *ledger.IngestResult, batches chan<- []saydo.Feedback) error {
	var cols *feedbackColumns
	batch := make([]saydo.Feedback, 0, feedbackBatch)
	reject := func(row *saydo.Row, reason string) error {
		res.Rejected++
		if len(res.FirstRejects) < 10 {
			res.FirstRejects = append(res.FirstRejects, ledger.Rejection{Line: row.Line, Reason: reason})
		}
		if opts.Rejects != nil {
			return opts.Rejects.Reject(row, reason)
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		res.Read++
		if opts.Progress != nil && res.Read%4096 == 0 {
			opts.Progress(res.Read)
		}
		if row.Err != nil {
			if err := reject(&row, ledger.RowReason(&row)); err != nil {
				return err
			}
			continue
		}
		if cols == nil || !sameFeedbackHeader(cols.names, row.Names) {
			if cols, err = resolveFeedbackColumns(row.Names, opts.Map); err != nil {
				return err
			}
		}
		batch = append(batch, saydo.Feedback{})
		f := &batch[len(batch)-1]
		if reason := parseFeedback(&row, cols, opts, f); reason != "" {
			batch = batch[:len(batch)-1]
			if err := reject(&row, reason); err != nil {
				return err
			}
			continue
		}
		f.Key = saydo.FeedbackKey(f, row.Line)
		an.AnalyzeFeedback(f)
		if len(batch) == cap(batch) {
			batches <- batch
			batch = make([]saydo.Feedback, 0, feedbackBatch)
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	return nil
}
