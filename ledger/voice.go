package ledger

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/voice"
)

// VoiceRefresh says what RefreshVoice did.
type VoiceRefresh struct {
	// Reanalysed counts items analysed again because the promises, the
	// labelled examples or the analysis itself changed since they were
	// stored; Changed counts those whose analysis came out different.
	Reanalysed, Changed int64
	// Days counts the days whose summaries were rebuilt from the stored
	// analyses.
	Days int
	// Learned is true when a classifier learned from labelled items.
	Learned bool
	// SelfTrained is how many of the items' texts the mapping learned
	// from without labels (voice.SelfTrain); 0 when it did not.
	SelfTrained int64
}

// MinLabelled is how many stored items must carry a label naming a
// promise before a classifier is trained on them.
const MinLabelled = 20

// RefreshVoice brings the stored analyses and per-day voice summaries up
// to date, the way Refresh does for observations: the days whose feedback
// was imported or replaced since the last refresh are summarised again
// from the stored analyses (no text is read again), and when the mapping
// changed (a promise's says, metric or voice phrases, the set of promises,
// the labelled examples, or voice.Version) every item is analysed again
// once and every summary rebuilt. Cheap when nothing changed; safe to run
// at any time.
func RefreshVoice(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (VoiceRefresh, error) {
	var out VoiceRefresh
	dirty, mark, err := st.FeedbackDirtyDays(ctx)
	if err != nil {
		return out, err
	}
	stored, err := st.VoiceFingerprints(ctx)
	if err != nil {
		return out, err
	}
	have := stored[""]
	if have != "" && len(dirty) > 0 {
		n, err := summariseVoiceDays(ctx, st, ws, have, coalesce(dirty))
		if err != nil {
			return out, err
		}
		out.Days = n
	}
	fp, days, err := voiceFingerprint(ctx, st, ws)
	if err != nil {
		return out, err
	}
	var items int64
	for i := range days {
		items += days[i].Items
	}
	learn := strings.HasPrefix(fp, labelledPrefix)
	out.Learned = learn
	current := have == fp
	for _, p := range ws.Promises {
		if stored[p.ID] != fp {
			current = false
		}
	}
	model, err := loadVoiceModel(ctx, st, fp)
	if err != nil {
		return out, err
	}
	if model == nil || model.stale(items, days, dirty) {
		current = false
	}
	base := voiceBase(ws)
	haveBase, _, err := st.CachedReport(ctx, voiceBaseName)
	if err != nil {
		return out, err
	}
	if current && haveBase != base {
		// Every item was analysed under fp, which holds the base.
		if err := st.PutCachedReport(ctx, voiceBaseName, base, []byte{}); err != nil {
			return out, err
		}
	}
	if !current {
		full := haveBase != base
		if model, err = reanalyse(ctx, st, ws, fp, learn, full, items, &out); err != nil {
			return out, err
		}
		if full {
			if err := st.PutCachedReport(ctx, voiceBaseName, base, []byte{}); err != nil {
				return out, err
			}
		}
		for id := range stored {
			if _, ok := ws.Promise(id); !ok && id != "" {
				if err := st.DropVoice(ctx, id); err != nil {
					return out, err
				}
			}
		}
	}
	if model != nil && model.kind == modelSelf {
		out.SelfTrained = model.read
	}
	if len(dirty) > 0 {
		return out, st.ClearFeedbackDirty(ctx, mark)
	}
	return out, nil
}

// labelledPrefix opens the fingerprint of a mapping learned from labels.
const labelledPrefix = "l-"

// voiceBaseName names, in the report cache, the base every stored item's
// language, sentiment, anger and effort were computed under (voiceBase):
// while it is current, a re-analysis after the promises or the learned
// mapping changed recomputes the mentions alone (voice.MapFeedback). It is
// written once every item is analysed under it; when it is absent or
// another, the next re-analysis analyses everything.
const voiceBaseName = "voice-analysis"

// voiceBase is what an item's analysis depends on besides its text,
// except the promises and the learned mapping: voice.Version and the
// event kinds.
func voiceBase(ws *saydo.Workspace) string {
	return voice.Version + " events:" + strings.Join(eventKinds(ws), ",")
}

// voiceFingerprint returns the fingerprint of what the stored analyses
// must depend on besides their text (voice.Fingerprint of the promises,
// the labelled examples and the event kinds; labelledPrefix first when a
// classifier learns from labels), and the overall voice days it read.
func voiceFingerprint(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (string, []saydo.VoiceDay, error) {
	_, days, err := st.VoiceDays(ctx, "", time.Time{}, time.Time{})
	if err != nil {
		return "", nil, err
	}
	var all saydo.VoiceDay
	for i := range days {
		all.Merge(&days[i])
	}
	// The labelled examples a classifier would learn from: none when
	// fewer than MinLabelled items carry a label naming a promise.
	var named, total int64
	for l, n := range all.Labels {
		total += n
		if _, ok := ws.Promise(l); ok {
			named += n
		}
	}
	labels := ""
	if named >= MinLabelled {
		labels = fmt.Sprintf("%d:%x", total, all.LabelHash)
	}
	extra := labels + "\x00events:" + strings.Join(eventKinds(ws), ",")
	if labels == "" && ws.Voice.NoSelfTrain {
		extra += "\x00self-train:off"
	}
	fp := voice.Fingerprint(ws.Promises, extra)
	if labels != "" {
		fp = labelledPrefix + fp
	}
	return fp, days, nil
}

// voiceAcc adds items up into day summaries, overall and per promise.
type voiceAcc struct {
	overall map[int64]*saydo.VoiceDay
	byID    map[string]map[int64]*saydo.VoiceDay
}

func newVoiceAcc() *voiceAcc {
	return &voiceAcc{overall: map[int64]*saydo.VoiceDay{}, byID: map[string]map[int64]*saydo.VoiceDay{}}
}

func (a *voiceAcc) add(f *saydo.Feedback) {
	day := saydo.DayOf(f.At)
	k := day.Unix()
	d := a.overall[k]
	if d == nil {
		d = &saydo.VoiceDay{Day: day}
		a.overall[k] = d
	}
	d.Add(f, true)
	for _, m := range f.Analysis.Promises {
		days := a.byID[m.PromiseID]
		if days == nil {
			days = map[int64]*saydo.VoiceDay{}
			a.byID[m.PromiseID] = days
		}
		pd := days[k]
		if pd == nil {
			pd = &saydo.VoiceDay{Day: day}
			days[k] = pd
		}
		pd.Add(f, false)
	}
}

// put stores the accumulated days of every promise and overall. Over
// ranges (not a full rebuild), days in range with nothing left are
// deleted.
func (a *voiceAcc) put(ctx context.Context, st saydo.Store, ws *saydo.Workspace, fp string, ranges []dayRange, replace bool) (int, error) {
	ids := []string{""}
	for _, p := range ws.Promises {
		ids = append(ids, p.ID)
	}
	n := 0
	for _, id := range ids {
		acc := a.overall
		if id != "" {
			acc = a.byID[id]
		}
		var days []saydo.VoiceDay
		if !replace {
			for _, r := range ranges {
				for d := r.from; d.Before(r.to); d = d.AddDate(0, 0, 1) {
					if _, ok := acc[d.Unix()]; !ok {
						days = append(days, saydo.VoiceDay{Day: d})
					}
				}
			}
		}
		for _, d := range acc {
			days = append(days, *d)
		}
		slices.SortFunc(days, func(x, y saydo.VoiceDay) int { return x.Day.Compare(y.Day) })
		if id == "" {
			n = len(days)
		}
		if err := st.PutVoiceDays(ctx, id, fp, days, replace); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// summariseVoiceDays rebuilds the voice days of ranges from the stored
// analyses.
func summariseVoiceDays(ctx context.Context, st saydo.Store, ws *saydo.Workspace, fp string, ranges []dayRange) (int, error) {
	acc := newVoiceAcc()
	for _, r := range ranges {
		if err := st.ScanFeedback(ctx, r.from, r.to, func(f *saydo.Feedback) error {
			acc.add(f)
			return nil
		}); err != nil {
			return 0, err
		}
	}
	return acc.put(ctx, st, ws, fp, ranges, false)
}

// reanalyseBatch is how many re-analysed items are written per
// transaction.
const reanalyseBatch = 5000

// reanalyse learns the mapping again (from the labelled items when learn,
// else self-trained on the items), maps every stored item again through
// the current promises and it (analyses it again whole when full: the
// stored sentiment and the rest are not current), stores the analyses
// that changed and the model, and rebuilds every voice day under fp.
// items is how many are stored.
func reanalyse(ctx context.Context, st saydo.Store, ws *saydo.Workspace, fp string, learn, full bool, items int64, out *VoiceRefresh) (*voiceModel, error) {
	// Until the re-analysis is done, the stored model is stale: cut
	// short, it is done again.
	if err := putVoiceModel(ctx, st, fp, nil); err != nil {
		return nil, err
	}
	model, err := trainVoiceModel(ctx, st, ws, learn, items)
	if err != nil {
		return nil, err
	}
	an := voice.New(ws.Promises, model.options(VoiceOptions(ws)))
	acc := newVoiceAcc()
	var batch []saydo.Feedback
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := st.UpdateAnalysis(ctx, batch)
		batch = batch[:0]
		return err
	}
	// The scan feeds chunks of copied items to one analysing goroutine
	// per core; this goroutine adds the results up and writes the
	// analyses that changed. Sums do not depend on the order.
	type chunk struct {
		items   []saydo.Feedback
		changed []bool
	}
	const chunkSize = 1000
	work := make(chan *chunk, 2*runtime.GOMAXPROCS(0))
	done := make(chan *chunk, 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				c.changed = make([]bool, len(c.items))
				for i := range c.items {
					f := &c.items[i]
					if f.Text == "" {
						continue
					}
					old := f.Analysis
					if full {
						an.AnalyzeFeedback(f)
					} else {
						an.MapFeedback(f)
					}
					c.changed[i] = !sameAnalysis(&old, &f.Analysis)
				}
				done <- c
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	var sumErr error
	summed := make(chan struct{})
	go func() {
		defer close(summed)
		for c := range done {
			for i := range c.items {
				f := &c.items[i]
				if f.Text != "" {
					out.Reanalysed++
				}
				if c.changed[i] {
					out.Changed++
					u := *f
					u.Attrs, u.Text = nil, ""
					batch = append(batch, u)
				}
				acc.add(f)
			}
			if sumErr == nil && len(batch) >= reanalyseBatch {
				sumErr = flush()
			}
		}
	}()
	cur := &chunk{}
	err = st.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		c := *f
		c.Attrs = slices.Clone(f.Attrs)
		c.Analysis.Effort = slices.Clone(f.Analysis.Effort)
		c.Analysis.Promises = slices.Clone(f.Analysis.Promises)
		cur.items = append(cur.items, c)
		if len(cur.items) >= chunkSize {
			work <- cur
			cur = &chunk{}
		}
		return nil
	})
	if len(cur.items) > 0 {
		work <- cur
	}
	close(work)
	<-summed
	if err != nil {
		return nil, err
	}
	if sumErr != nil {
		return nil, sumErr
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if model.span > 0 {
		for k, d := range acc.overall {
			if !time.Unix(k, 0).After(model.last) {
				model.through += d.Items
			}
		}
	}
	if err := putVoiceModel(ctx, st, fp, model); err != nil {
		return nil, err
	}
	n, err := acc.put(ctx, st, ws, fp, nil, true)
	out.Days = n
	return model, err
}

func sameAnalysis(a, b *saydo.Analysis) bool {
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	return same(a.Sentiment, b.Sentiment) && a.Label == b.Label && a.Anger == b.Anger &&
		slices.Equal(a.Effort, b.Effort) &&
		slices.EqualFunc(a.Promises, b.Promises, func(x, y saydo.Mention) bool {
			return x.PromiseID == y.PromiseID && same(x.Score, y.Score) && x.Match == y.Match
		})
}

// VoiceQuery selects and shapes a voice summary.
type VoiceQuery struct {
	// From and To bound the items' days, [From, To); zero is unbounded.
	From, To time.Time
	// Themes caps the unmet expectations (default 8), MinTheme is the
	// fewest items a theme needs (default 5); NoThemes skips them (what
	// 'saydo gap' needs is per promise only).
	Themes, MinTheme int
	NoThemes         bool
	// Rates are the iceberg's complaint rates (default
	// voice.DefaultComplaintRates).
	Rates voice.ComplaintRates
	// ThemeSample caps how many negative unmatched items theme discovery
	// reads, and half as many of the rest (default 16,000): a uniform
	// sample beyond, so a report takes about the same time at any size.
	ThemeSample int
}

// VoiceSummary returns what customers say over the query's days: per
// promise and overall from the stored day summaries (RefreshVoice first
// brings them up to date), the unmet expectations from the stored items
// that are negative and match no promise.
func VoiceSummary(ctx context.Context, st saydo.Store, ws *saydo.Workspace, q VoiceQuery) (*voice.Summary, error) {
	if q.Themes <= 0 {
		q.Themes = 8
	}
	if q.MinTheme <= 0 {
		q.MinTheme = 5
	}
	if q.ThemeSample <= 0 {
		q.ThemeSample = 16000
	}
	rf, err := RefreshVoice(ctx, st, ws)
	if err != nil {
		return nil, fmt.Errorf("refresh voice: %w", err)
	}
	tally := voice.NewTally()
	if q.Rates != nil {
		tally.Rates = q.Rates
	}
	ids := []string{""}
	for _, p := range ws.Promises {
		ids = append(ids, p.ID)
	}
	for _, id := range ids {
		_, days, err := st.VoiceDays(ctx, id, q.From, q.To)
		if err != nil {
			return nil, err
		}
		for i := range days {
			tally.AddDay(id, &days[i])
		}
	}
	all := tally.Overall()
	sum := &voice.Summary{Items: all.Items, Negative: all.Negative, Unmapped: all.Unmapped, Languages: all.Langs,
		Promises: tally.Voices(), Iceberg: tally.Iceberg(), Learned: rf.Learned, SelfTrained: rf.SelfTrained, Unmet: []saydo.Theme{}}
	if sum.Languages == nil {
		sum.Languages = map[string]int64{}
	}
	if q.NoThemes {
		return sum, nil
	}
	tf := voice.NewThemeFinder()
	buckets := func(n int64, want int) int {
		if n <= int64(want) {
			return saydo.SampleBuckets
		}
		return max(1, int(math.Ceil(float64(saydo.SampleBuckets)*float64(want)/float64(n))))
	}
	bt, br := buckets(all.Unmapped, q.ThemeSample), buckets(all.Items-all.Unmapped, q.ThemeSample/2)
	if err := st.SampleFeedback(ctx, q.From, q.To, true, bt, func(f *saydo.Feedback) error { tf.AddItem(f, true); return nil }); err != nil {
		return nil, err
	}
	if err := st.SampleFeedback(ctx, q.From, q.To, false, br, func(f *saydo.Feedback) error { tf.AddItem(f, false); return nil }); err != nil {
		return nil, err
	}
	target, _ := tf.Target()
	if target > 0 && target < all.Unmapped {
		tf.Scale = float64(all.Unmapped) / float64(target)
	}
	sum.ThemeSample = target
	if th := tf.Themes(q.Themes, q.MinTheme); th != nil {
		sum.Unmet = th
	}
	if len(sum.Unmet) == 0 {
		sum.ThemesNeed = voice.ThemesNeed(all.Unmapped, all.Items-all.Unmapped, q.MinTheme)
	}
	return sum, nil
}

// VoiceOptions are the analyzer options every analysis of ws's feedback
// uses, at import and in RefreshVoice: they must agree.
func VoiceOptions(ws *saydo.Workspace) voice.Options {
	return voice.Options{EventKinds: eventKinds(ws)}
}

// eventKinds are the feedback kinds that record what customers did: the
// workspace's churn kind.
func eventKinds(ws *saydo.Workspace) []string {
	if ws.Impact != nil && ws.Impact.ChurnKind != "" {
		return []string{ws.Impact.ChurnKind}
	}
	return []string{saydo.DefaultChurnKind}
}

// VoiceDays adds up the voice summaries of newly imported items, for an
// import that keeps them in its own transactions (FeedbackTx.InsertNew,
// then Merge before Commit) instead of leaving their days for
// RefreshVoice to summarise again. Items must have been analysed with
// VoiceOptions and the current promises, which RefreshVoice before the
// import guarantees.
type VoiceDays struct{ acc *voiceAcc }

// NewVoiceDays returns an empty VoiceDays.
func NewVoiceDays() *VoiceDays { return &VoiceDays{acc: newVoiceAcc()} }

// Add counts one newly inserted item.
func (v *VoiceDays) Add(f *saydo.Feedback) { v.acc.add(f) }

// Merge adds what was counted to the stored summaries in tx, and starts
// again from nothing.
func (v *VoiceDays) Merge(tx saydo.FeedbackTx) error {
	flush := func(id string, m map[int64]*saydo.VoiceDay) error {
		if len(m) == 0 {
			return nil
		}
		days := make([]saydo.VoiceDay, 0, len(m))
		for _, d := range m {
			days = append(days, *d)
		}
		slices.SortFunc(days, func(x, y saydo.VoiceDay) int { return x.Day.Compare(y.Day) })
		return tx.MergeVoiceDays(id, days)
	}
	if err := flush("", v.acc.overall); err != nil {
		return err
	}
	ids := make([]string, 0, len(v.acc.byID))
	for id := range v.acc.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := flush(id, v.acc.byID[id]); err != nil {
			return err
		}
	}
	v.acc = newVoiceAcc()
	return nil
}
