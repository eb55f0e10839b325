package ledger

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/voice"
)

// The first import into a store of fewer than MinSelfTrain items would
// analyse its items without a learned mapping, and then, its end having
// taken the store past MinSelfTrain, self-train and map every item again:
// each item analysed once and mapped twice, and written twice. So such an
// import holds its items, unanalysed, until its input ends (up to
// holdRows of them), learns the mapping from them and the stored items as
// RefreshVoice would from the store after the import (the same first P
// items in time order, then by key), stores that model, and only then
// analyses every item, once, with it. After the import, the texts the
// model learned from are read back from the store (selfTrainCorpus, as
// trainVoiceModel reads them) and compared with those it was learned
// from: any difference (an order the store keeps differently, an item
// that turned out to be a duplicate) marks the model stale, and the next
// refresh learns it again from the store and maps every item again, as
// before. So the stored bytes are the same whatever the batching.
//
// An input longer than holdRows stops holding there. When what it holds
// and the stored items already reach maxSelfTrainSpan (holdRows is that
// many), the span P cannot change whatever follows, so it learns from
// them as well: for an input in time order they are the store's first P,
// and the check after the import finds the model current; for one out of
// order the check marks it stale, as above. Otherwise what it holds is
// analysed with the mapping the store has, and the rest as it comes.
// Either way the rest of the input is analysed batch by batch as it
// comes, with the analyzer the hold hands on (analyzer). Items with
// labels, or whose keys repeat, are not predicted.

// holdRows is the most items an import holds before it analyses them
// (about 500 bytes each in memory), maxSelfTrainSpan; see docs/voice.md.
var holdRows = 1 << 18

// feedbackHold is the orderer of a feedback import into a small store.
type feedbackHold struct {
	st saydo.Store
	ws *saydo.Workspace
	fp string
	// an is the analyzer of the store's mapping, and once the rows are
	// handed on, of the mapping learned from them.
	an     *voice.Analyzer
	stored []saydo.Feedback
	keys   map[uint64]bool
	rows   []saydo.Feedback
	// released is set once the rows are handed on (full, or the input
	// ended): the rest of the input is analysed batch by batch.
	released atomic.Bool
	// unpredictable is set when a held row carries a label, or a key
	// seen before.
	unpredictable bool
	// model is the mapping learned from the held rows, and corpus what
	// it learned from, to compare with the store after the import.
	model  *voiceModel
	corpus []voice.Example
}

// newFeedbackHold returns the holder of an import into st when it holds
// fewer than MinSelfTrain items, no labels teach the mapping and
// saydo.yaml does not turn self-training off, else
// nil. an is the analyzer of the store's current mapping.
func newFeedbackHold(ctx context.Context, st saydo.Store, ws *saydo.Workspace, an *voice.Analyzer) (*feedbackHold, error) {
	fp, days, err := voiceFingerprint(ctx, st, ws)
	if err != nil || ws.Voice.NoSelfTrain || len(fp) >= len(labelledPrefix) && fp[:len(labelledPrefix)] == labelledPrefix {
		return nil, err
	}
	var items int64
	for i := range days {
		items += days[i].Items
	}
	if items >= MinSelfTrain {
		return nil, nil
	}
	h := &feedbackHold{st: st, ws: ws, fp: fp, an: an, keys: map[uint64]bool{}}
	if err := st.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		h.stored = append(h.stored, saydo.Feedback{Key: f.Key, At: f.At, Text: f.Text, Lang: f.Lang, Kind: f.Kind})
		h.keys[f.Key] = true
		return nil
	}); err != nil {
		return nil, err
	}
	return h, nil
}

// analyzer is what the rows parsed after the held ones are analysed with:
// an when there is no hold.
func (h *feedbackHold) analyzer(an *voice.Analyzer) *voice.Analyzer {
	if h == nil {
		return an
	}
	return h.an
}

func (h *feedbackHold) disordered([]saydo.Feedback) bool { return !h.released.Load() }

func (h *feedbackHold) full() bool { return len(h.rows) >= holdRows }

func (h *feedbackHold) add(b []saydo.Feedback) error {
	for i := range b {
		f := &b[i]
		if f.Label != "" || h.keys[f.Key] {
			h.unpredictable = true
		}
		h.keys[f.Key] = true
	}
	h.rows = append(h.rows, b...)
	return nil
}

func (h *feedbackHold) close() { h.rows, h.keys, h.stored = nil, nil, nil }

// merge learns the mapping when the input ended within holdRows, or when
// the span is already at its cap, stores it, and hands the held rows on in
// the order they came, each batch analysed (on every core) while the
// writer stores the one before.
func (h *feedbackHold) merge(ctx context.Context, size int, batch []saydo.Feedback, store func([]saydo.Feedback) ([]saydo.Feedback, error)) error {
	capped := selfTrainSpan(int64(len(h.stored)+len(h.rows))) == maxSelfTrainSpan
	learn := (!h.full() || capped) && !h.unpredictable
	h.released.Store(true)
	if learn {
		m, corpus := h.learn()
		if err := putVoiceModel(ctx, h.st, h.fp, m); err != nil {
			return err
		}
		h.model, h.corpus = m, corpus
		h.an = voice.New(h.ws.Promises, m.options(VoiceOptions(h.ws)))
	}
	for off := 0; off < len(h.rows); off += size {
		if err := ctx.Err(); err != nil {
			return err
		}
		part := h.rows[off:min(off+size, len(h.rows))]
		analyseAll(h.an, part)
		batch = append(batch[:0], part...)
		clear(part)
		var err error
		if batch, err = store(batch); err != nil {
			return err
		}
	}
	h.rows = nil
	return nil
}

// learn self-trains on the stored and held items as trainVoiceModel will
// on the store once they are imported.
func (h *feedbackHold) learn() (*voiceModel, []voice.Example) {
	all := make([]*saydo.Feedback, 0, len(h.stored)+len(h.rows))
	for i := range h.stored {
		all = append(all, &h.stored[i])
	}
	for i := range h.rows {
		all = append(all, &h.rows[i])
	}
	slices.SortFunc(all, func(a, b *saydo.Feedback) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(int64(a.Key), int64(b.Key)))
	})
	c := newCorpusReader(h.ws, int64(len(all)))
	c.detect = true
	for _, f := range all {
		if !c.add(f) {
			break
		}
	}
	m := c.train(h.ws)
	if m.span > 0 {
		for _, f := range all {
			if !saydo.DayOf(f.At).After(m.last) {
				m.through++
			}
		}
	}
	return m, c.corpus
}

// verify compares, after the import, what the stored model learned from
// with what the store holds; when they differ (or the import did not
// finish) the model is marked stale for the next refresh to learn again.
// When they agree, the model is what a refresh would learn from the
// store, and it is stored again with the store's count of items up to its
// last day (rows after the held ones may have added some).
func (h *feedbackHold) verify(ctx context.Context, ok bool) error {
	if h == nil || h.model == nil {
		return nil
	}
	if ok {
		var items int64
		_, days, err := voiceFingerprint(ctx, h.st, h.ws)
		if err != nil {
			return err
		}
		for i := range days {
			items += days[i].Items
		}
		if selfTrainSpan(items) == h.model.span {
			c := newCorpusReader(h.ws, items)
			if err := c.scan(ctx, h.st); err != nil {
				return err
			}
			if c.last.Equal(h.model.last) && slices.Equal(c.corpus, h.corpus) {
				if through := itemsThrough(days, h.model.last); through != h.model.through {
					h.model.through = through
					return putVoiceModel(ctx, h.st, h.fp, h.model)
				}
				return nil
			}
		}
	}
	return putVoiceModel(ctx, h.st, h.fp, nil)
}

// analyseAll analyses items on every core.
func analyseAll(an *voice.Analyzer, items []saydo.Feedback) {
	const chunk = 512
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(items)/chunk)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(items) {
					return
				}
				for i := lo; i < min(lo+chunk, len(items)); i++ {
					an.AnalyzeFeedback(&items[i])
				}
			}
		}()
	}
	wg.Wait()
}

// corpusReader gathers what self-training reads of the first
// selfTrainSpan(items) items, given in time order (then by key): every
// step-th text that is not an event, and the day of the last item.
type corpusReader struct {
	span, step, i int64
	events        map[string]bool
	// detect sets the language of items read without one, as the
	// analysis will (held items are not analysed yet).
	detect bool
	corpus []voice.Example
	last   time.Time
}

func newCorpusReader(ws *saydo.Workspace, items int64) *corpusReader {
	c := &corpusReader{span: selfTrainSpan(items), events: map[string]bool{}}
	c.step = max(1, c.span/SelfTrainSample)
	for _, k := range eventKinds(ws) {
		c.events[k] = true
	}
	return c
}

// add reads one item; false once the span is read.
func (c *corpusReader) add(f *saydo.Feedback) bool {
	if c.i == c.span {
		return false
	}
	if f.Text != "" && !c.events[f.Kind] && c.i%c.step == 0 {
		if c.detect && f.Lang == "" {
			f.Lang = voice.DetectLanguage(f.Text)
		}
		c.corpus = append(c.corpus, voice.Example{Text: f.Text, Lang: f.Lang})
	}
	c.last = saydo.DayOf(f.At)
	c.i++
	return true
}

// scan reads the first items of the store.
func (c *corpusReader) scan(ctx context.Context, st saydo.Store) error {
	if c.span == 0 {
		return nil
	}
	return st.ScanFeedbackTexts(ctx, c.span, func(f *saydo.Feedback) error {
		c.add(f)
		return nil
	})
}

// train self-trains on what was read: a model of kind none when the span
// is 0 or too few seeds were found. Its through is left for the caller.
func (c *corpusReader) train(ws *saydo.Workspace) *voiceModel {
	m := &voiceModel{kind: modelNone, span: c.span, last: c.last}
	if c.span == 0 {
		return m
	}
	if cl := voice.SelfTrain(ws.Promises, c.corpus, voice.SelfTrainOptions{}); cl != nil {
		m.kind, m.c, m.read = modelSelf, cl, int64(len(c.corpus))
	}
	return m
}
