package ledger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
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

// voiceModelName names the learned mapping in the report cache.
const voiceModelName = "voice-model"

// MinSelfTrain is how many stored items self-training needs before it
// runs: below, too few items are matched surely enough to learn from.
const MinSelfTrain = 500

// SelfTrainSample caps how many items self-training reads: beyond, every
// k-th item in time order (then by key), so training costs about the same
// at any size.
const SelfTrainSample = 50000

// Kinds of learned mapping.
const (
	modelNone     = "none"
	modelLabelled = "labelled"
	modelSelf     = "self-trained"
)

// voiceModel is the learned mapping and what it was learned from.
type voiceModel struct {
	kind string
	// items is how many items were stored when it was trained: a
	// self-trained model is trained again once they have doubled.
	items int64
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

// stale reports whether a model trained when items were stored should be
// trained again now that n are: a self-trained model (or none) when the
// items have doubled and self-training can run.
func (m *voiceModel) stale(n int64) bool {
	return m.kind != modelLabelled && n >= MinSelfTrain && n >= 2*m.items
}

func (m *voiceModel) encode() ([]byte, error) {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(m.kind)))
	b = append(b, m.kind...)
	b = binary.LittleEndian.AppendUint64(b, uint64(m.items))
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
	if uint64(len(b)) < 20+uint64(n) {
		return nil, errors.New("decode voice model: truncated")
	}
	m := &voiceModel{kind: string(b[4 : 4+n]), items: int64(binary.LittleEndian.Uint64(b[4+n:])),
		read: int64(binary.LittleEndian.Uint64(b[12+n:]))}
	rest := b[20+n:]
	switch m.kind {
	case modelNone:
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
// labels when learn, else by self-training on up to SelfTrainSample of
// their texts. items is how many are stored.
func trainVoiceModel(ctx context.Context, st saydo.Store, ws *saydo.Workspace, learn bool, items int64) (*voiceModel, error) {
	if learn {
		var ex []voice.Example
		if err := st.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
			if f.Label != "" && f.Text != "" {
				ex = append(ex, voice.Example{Text: f.Text, Lang: f.Lang, Label: f.Label})
			}
			return nil
		}); err != nil {
			return nil, err
		}
		return &voiceModel{kind: modelLabelled, items: items, read: int64(len(ex)), c: voice.Train(ex, voice.TrainOptions{})}, nil
	}
	m := &voiceModel{kind: modelNone, items: items}
	if items < MinSelfTrain {
		return m, nil
	}
	events := map[string]bool{}
	for _, k := range eventKinds(ws) {
		events[k] = true
	}
	step := int64(math.Ceil(float64(items) / SelfTrainSample))
	var corpus []voice.Example
	var i int64
	if err := st.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		i++
		if f.Text != "" && !events[f.Kind] && (i-1)%step == 0 {
			corpus = append(corpus, voice.Example{Text: f.Text, Lang: f.Lang})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if c := voice.SelfTrain(ws.Promises, corpus, voice.SelfTrainOptions{}); c != nil {
		m.kind, m.c, m.read = modelSelf, c, int64(len(corpus))
	}
	return m, nil
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
