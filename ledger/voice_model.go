package ledger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/voice"
)

// The learned mapping: what every stored analysis and every import uses
// on top of the promises' own words. With at least MinLabelled items
// labelled with promise ids, a classifier trained on them; otherwise, with
// at least MinSelfTrain items, a classifier self-trained on the user's
// own unlabelled feedback (voice.SelfTrain); otherwise none. It is kept
// in the report cache under the voice fingerprint, so an import analyses
// new items exactly as RefreshVoice analysed the stored ones.
//
// A self-trained model is a function of the stored items, whatever order
// or files they came in: it learns from the first P of them in time order
// (then by key), P the largest power of two not above their number and
// not above maxSelfTrainSpan (every k-th of those beyond SelfTrainSample).
// It is learned again, and every item mapped again, when P changes (the
// items doubled, up to maxSelfTrainSpan: the cost adds up to about twice
// one re-mapping of that many items) or when items were added or replaced
// among those first P (a back-filled import). Past maxSelfTrainSpan items
// P stays, so growth alone never maps the stored items again.

// voiceModelName names the learned mapping in the report cache.
const voiceModelName = "voice-model"

// MinSelfTrain is how many stored items self-training needs before it
// runs: below, too few items are matched surely enough to learn from.
const MinSelfTrain = 512

// SelfTrainSample caps how many items self-training reads: beyond, every
// k-th of the first P in time order, so training costs about the same at
// any size.
const SelfTrainSample = 1 << 14

// maxSelfTrainSpan caps P, the first items self-training learns from: 16
// times SelfTrainSample, so it reads every 16th of them, and as many as an
// import into a new store holds (holdRows), so an import of any size into
// a new store learns before it analyses. A variable for tests.
var maxSelfTrainSpan int64 = 1 << 18

// Kinds of learned mapping.
const (
	modelNone     = "none"
	modelLabelled = "labelled"
	modelSelf     = "self-trained"
	// modelOff: saydo.yaml turns self-training off (voice: self_train:
	// false), so nothing is learned however the items grow; the
	// fingerprint says so.
	modelOff = "off"
)

// voiceModel is the learned mapping and what it was learned from.
type voiceModel struct {
	kind string
	// span is P, how many of the first items in time order a
	// self-trained model learned from (0: none); last is the day of the
	// P-th, and through is how many items were stored up to that day
	// when it learned.
	span, through int64
	last          time.Time
	// read is how many texts it learned from.
	read int64
	c    *voice.Classifier
}

// options adds the model to analyzer options.
func (m *voiceModel) options(opts voice.Options) voice.Options {
	if m == nil || m.c == nil {
		return opts
	}
	opts.Classifier = m.c
	if m.kind == modelSelf {
		opts.MinProbability = voice.SelfTrainedMinProbability
	}
	return opts
}

// selfTrainSpan is how many of the first items self-training learns from
// when n are stored: the largest power of two not above n, at most
// maxSelfTrainSpan, or 0 below MinSelfTrain.
func selfTrainSpan(n int64) int64 {
	if n < MinSelfTrain {
		return 0
	}
	p := int64(1)
	for p*2 <= n && p*2 <= maxSelfTrainSpan {
		p *= 2
	}
	return p
}

// stale reports whether a model not learned from labels must be learned
// again: the span changed, or the items up to its last day are not those
// it learned from (days holds the stored overall voice days, dirty the
// days with items replaced since the last refresh).
func (m *voiceModel) stale(n int64, days []saydo.VoiceDay, dirty []time.Time) bool {
	if m.kind == modelLabelled || m.kind == modelOff {
		return false
	}
	if selfTrainSpan(n) != m.span {
		return true
	}
	if m.span == 0 {
		return false
	}
	if itemsThrough(days, m.last) != m.through {
		return true
	}
	for _, d := range dirty {
		if !d.After(m.last) {
			return true
		}
	}
	return false
}

// itemsThrough adds up the items of the days up to and including last.
func itemsThrough(days []saydo.VoiceDay, last time.Time) int64 {
	var n int64
	for i := range days {
		if !days[i].Day.After(last) {
			n += days[i].Items
		}
	}
	return n
}

func (m *voiceModel) encode() ([]byte, error) {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(m.kind)))
	b = append(b, m.kind...)
	b = binary.LittleEndian.AppendUint64(b, uint64(m.span))
	b = binary.LittleEndian.AppendUint64(b, uint64(m.through))
	b = binary.LittleEndian.AppendUint64(b, uint64(m.last.Unix()))
	b = binary.LittleEndian.AppendUint64(b, uint64(m.read))
	if m.c != nil {
		c, err := m.c.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = append(b, c...)
	}
	return b, nil
}

func decodeVoiceModel(b []byte) (*voiceModel, error) {
	if len(b) < 4 {
		return nil, errors.New("decode voice model: truncated")
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(len(b)) < 36+uint64(n) {
		return nil, errors.New("decode voice model: truncated")
	}
	u := func(i uint32) int64 { return int64(binary.LittleEndian.Uint64(b[4+n+8*i:])) }
	m := &voiceModel{kind: string(b[4 : 4+n]), span: u(0), through: u(1), last: time.Unix(u(2), 0).UTC(), read: u(3)}
	rest := b[36+n:]
	switch m.kind {
	case modelNone, modelOff:
	case modelLabelled, modelSelf:
		m.c = new(voice.Classifier)
		if err := m.c.UnmarshalBinary(rest); err != nil {
			return nil, fmt.Errorf("decode voice model: %w", err)
		}
	default:
		return nil, fmt.Errorf("decode voice model: unknown kind %q", m.kind)
	}
	return m, nil
}

// loadVoiceModel returns the stored model when it was learned under
// fingerprint fp, else nil.
func loadVoiceModel(ctx context.Context, st saydo.Store, fp string) (*voiceModel, error) {
	v, body, err := st.CachedReport(ctx, voiceModelName)
	if err != nil || v != fp || fp == "" {
		return nil, err
	}
	m, err := decodeVoiceModel(body)
	if err != nil {
		// A cache: what cannot be read is learned again.
		return nil, nil
	}
	return m, nil
}

// putVoiceModel stores m under fp; m nil marks the stored model stale, so
// a re-analysis cut short is done again by the next refresh.
func putVoiceModel(ctx context.Context, st saydo.Store, fp string, m *voiceModel) error {
	if m == nil {
		return st.PutCachedReport(ctx, voiceModelName, "stale", []byte{})
	}
	b, err := m.encode()
	if err != nil {
		return err
	}
	return st.PutCachedReport(ctx, voiceModelName, fp, b)
}

// trainVoiceModel learns the mapping from the stored items: from their
// labels when learn, else by self-training on the first
// selfTrainSpan(items) of them (up to SelfTrainSample of their texts),
// unless saydo.yaml turns self-training off.
// items is how many are stored. A self-trained model's through is left
// for the caller, who adds the days up.
func trainVoiceModel(ctx context.Context, st saydo.Store, ws *saydo.Workspace, learn bool, items int64) (*voiceModel, error) {
	if learn {
		var ex []voice.Example
		if err := st.ScanLabelledFeedback(ctx, func(f *saydo.Feedback) error {
			ex = append(ex, voice.Example{Text: f.Text, Lang: f.Lang, Label: f.Label})
			return nil
		}); err != nil {
			return nil, err
		}
		return &voiceModel{kind: modelLabelled, read: int64(len(ex)), c: voice.Train(ex, voice.TrainOptions{})}, nil
	}
	if ws.Voice.NoSelfTrain {
		return &voiceModel{kind: modelOff}, nil
	}
	c := newCorpusReader(ws, items)
	if err := c.scan(ctx, st); err != nil {
		return nil, err
	}
	return c.train(ws), nil
}

// VoiceAnalyzer returns the analyzer the stored analyses were made with:
// voice.New with StoredVoiceOptions. Imports analyse new items with it,
// after RefreshVoice.
func VoiceAnalyzer(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (*voice.Analyzer, error) {
	opts, err := StoredVoiceOptions(ctx, st, ws)
	if err != nil {
		return nil, err
	}
	return voice.New(ws.Promises, opts), nil
}

// StoredVoiceOptions are VoiceOptions with the learned mapping stored
// under the current fingerprint (none when RefreshVoice has not learned it
// yet: the next refresh then analyses every item again).
func StoredVoiceOptions(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (voice.Options, error) {
	fp, _, err := voiceFingerprint(ctx, st, ws)
	if err != nil {
		return voice.Options{}, err
	}
	m, err := loadVoiceModel(ctx, st, fp)
	if err != nil {
		return voice.Options{}, err
	}
	return m.options(VoiceOptions(ws)), nil
}
