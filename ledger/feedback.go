package ledger

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/voice"
)

// feedbackFields are the columns a feedback row may have besides
// attributes.
var feedbackFields = []string{"id", "at", "text", "customer", "channel", "kind", "lang", "nps", "csat", "ces", "rating", "label"}

// scoreRanges bound each score.
var scoreRanges = [...]struct {
	name     string
	min, max float64
}{{"nps", 0, 10}, {"csat", 1, 5}, {"ces", 1, 7}, {"rating", 1, 5}}

// maxFeedbackText is the longest feedback text kept, in bytes: far above
// any survey comment or review, far below what would burden the analysis.
const maxFeedbackText = 64 << 10

// IngestFeedback reads feedback items from rr, analyses the valid ones
// (language, sentiment, anger, effort, promises) and stores them with
// their analysis, through the importer every kind of row goes through
// (IngestObservations): streaming, every row accounted for, rejects with
// line and reason, idempotent by saydo.FeedbackKey (the id, or what the
// item says and its occurrence in the input), an id seen again with
// other content replacing the stored item, committed in batches, strict.
//
// The stored analyses are first brought to the current promises
// (RefreshVoice), and the new items are analysed exactly as a re-analysis
// would (VoiceAnalyzer: the same options, and the stored learned mapping,
// from the labelled items when there are enough, else self-trained), so their voice summaries are
// added up in the import's own transactions and a report never needs to
// read them again. An import into a store of fewer than MinSelfTrain
// items holds its items and learns the mapping from them before analysing
// them (feedbackHold), so each is analysed once. The customers' voices are
// kept current as well. Call RefreshVoice afterwards for the days of
// replaced items.
func IngestFeedback(ctx context.Context, st saydo.Store, ws *saydo.Workspace, rr saydo.RowReader, opts IngestOptions) (*IngestResult, error) {
	if _, err := RefreshVoice(ctx, st, ws); err != nil {
		return &IngestResult{Committed: true}, fmt.Errorf("refresh voice: %w", err)
	}
	an, err := VoiceAnalyzer(ctx, st, ws)
	if err != nil {
		return &IngestResult{Committed: true}, err
	}
	hold, err := newFeedbackHold(ctx, st, ws, an)
	if err != nil {
		return &IngestResult{Committed: true}, err
	}
	voices, err := StartVoiceImport(ctx, st, ws)
	if err != nil {
		return &IngestResult{Committed: true}, err
	}
	tracked := voices.Track(st)
	keys := newContentCounter()
	k := rowKind[saydo.Feedback]{
		fields:   feedbackFields,
		required: []string{"at"},
		parse: func(row *saydo.Row, c *columns, opts *IngestOptions, f *saydo.Feedback) string {
			if reason := parseFeedback(row, c, opts, f); reason != "" {
				return reason
			}
			// Keyed as parsed, in the input's order: the hold below
			// reads the keys.
			if f.SourceID != "" {
				f.Key = saydo.FeedbackKey(f, 0)
			} else {
				f.Key = keys.key(saydo.FeedbackIdentity(f))
			}
			return ""
		},
		prepare: func(b []saydo.Feedback) { analyseAll(hold.analyzer(an), b) },
		begin: func(ctx context.Context) (rowTx[saydo.Feedback], error) {
			tx, err := tracked.BeginFeedback(ctx)
			if err != nil {
				return nil, err
			}
			return &feedbackTx{FeedbackTx: tx, days: NewVoiceDays()}, nil
		},
	}
	if hold != nil {
		k.order = func(string) orderer[saydo.Feedback] { return hold }
	}
	res, err := ingest(ctx, rr, opts, k)
	if verr := hold.verify(ctx, err == nil && res.Committed); verr != nil && err == nil {
		err = fmt.Errorf("refresh voice: %w", verr)
	}
	if err == nil && res.Committed {
		if err = voices.Finish(ctx, st); err != nil {
			err = fmt.Errorf("customer voices: %w", err)
		}
	}
	return res, err
}

// feedbackTx is a feedback transaction as the importer writes batches:
// the items the store knows are new go into the voice day summaries in the
// same transaction; the days of the others are marked for RefreshVoice.
type feedbackTx struct {
	saydo.FeedbackTx
	days     *VoiceDays
	fresh    []bool
	replaced int
}

func (t *feedbackTx) Insert(b []saydo.Feedback) (int, error) {
	t.fresh = slices.Grow(t.fresh[:0], len(b))[:len(b)]
	n, r, err := t.InsertNew(b, t.fresh)
	if err != nil {
		return n, err
	}
	for i := range b {
		if t.fresh[i] {
			t.days.Add(&b[i])
		}
	}
	if err := t.days.Merge(t.FeedbackTx); err != nil {
		return n, err
	}
	t.replaced += r
	return n, nil
}

// Replaced is how many stored items this transaction replaced.
func (t *feedbackTx) Replaced() int { return t.replaced }

// parseFeedback validates one row into f; it returns the reason when the
// row must be rejected.
func parseFeedback(row *saydo.Row, c *columns, opts *IngestOptions, f *saydo.Feedback) string {
	f.NPS, f.CSAT, f.CES, f.Rating = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	for _, v := range row.Values {
		if !utf8.ValidString(v) {
			return "invalid UTF-8"
		}
	}
	at, reason := c.time(row, opts, "missing at: every item needs a time (map another column with --map at=COLUMN)")
	if reason == "" {
		reason = opts.notFuture(at)
	}
	if reason != "" {
		return reason
	}
	f.At = at.Truncate(time.Millisecond) // what the stores keep
	f.SourceID, _ = c.value(row, opts.Set, "id")
	f.Text, _ = c.value(row, opts.Set, "text")
	f.Customer, _ = c.value(row, opts.Set, "customer")
	f.Channel, _ = c.value(row, opts.Set, "channel")
	f.Kind, _ = c.value(row, opts.Set, "kind")
	f.Lang, _ = c.value(row, opts.Set, "lang")
	f.Label, _ = c.value(row, opts.Set, "label")
	f.Kind, f.Lang = lower(f.Kind), lower(f.Lang)
	for _, fv := range [...]struct{ name, v string }{{"id", f.SourceID}, {"customer", f.Customer}, {"channel", f.Channel}, {"kind", f.Kind}, {"lang", f.Lang}, {"label", f.Label}} {
		if reason := saydo.CheckAttr(fv.name, fv.v); reason != "" {
			return reason
		}
	}
	if f.Lang != "" {
		lang, reason := feedbackLang(f.Lang)
		if reason != "" {
			return reason
		}
		f.Lang = lang
	}
	if len(f.Text) > maxFeedbackText {
		return fmt.Sprintf("text: %d bytes, longer than the limit of %d", len(f.Text), maxFeedbackText)
	}
	if i := strings.IndexByte(f.Text, 0); i >= 0 {
		// Never meant in a customer's words, and PostgreSQL cannot store it.
		return fmt.Sprintf("text: NUL character at byte %d", i+1)
	}
	hasScore := false
	for _, r := range scoreRanges {
		s, ok := c.value(row, opts.Set, r.name)
		if !ok {
			continue
		}
		v, err := saydo.ParseValue(s)
		if err != nil {
			return fmt.Sprintf("%s %q: %v", r.name, s, err)
		}
		if v < r.min || v > r.max {
			return fmt.Sprintf("%s %g: want %g to %g", r.name, v, r.min, r.max)
		}
		if r.name != "rating" && v != math.Trunc(v) {
			// NPS counts 9–10 as promoters and 0–6 as detractors, CSAT
			// 4–5 as satisfied: an answer between scale points has no
			// place in them. (Ratings may come in half stars.)
			return fmt.Sprintf("%s %g: want a whole number from %g to %g (one answer on the scale)", r.name, v, r.min, r.max)
		}
		hasScore = true
		switch r.name {
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
	attrs, reason := c.attributes(row)
	if reason != "" {
		return reason
	}
	f.Attrs = attrs
	return ""
}

// lower returns s in lower case, without allocating when it already is.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
	}
	return s
}

// feedbackLang reads a lang column (saydo.ParseLanguage): "und" is no
// language, detected from the text; what the registry does not know is
// refused with the reason, so a typo does not silently leave the text
// unread.
func feedbackLang(s string) (string, string) {
	if s == voice.Undetermined {
		return "", ""
	}
	lang, ok := saydo.ParseLanguage(s)
	if !ok {
		return "", fmt.Sprintf("lang %q: not a language code (ISO 639-1 such as en or ro, or a tag such as en-US); leave it empty to detect the language", s)
	}
	return lang, ""
}
