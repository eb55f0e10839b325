package ledger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/impact"
)

// Per-customer state for outcome linkage, kept at import so reports never
// join every customer's experiences with their feedback themselves:
//
//   - the customer index ("state|customers"): every customer id seen, in
//     order of first sight; a customer is its position;
//   - per promise ("state|promise|ID"): two bitsets over the index, the
//     customers with an experience of the promise and those with a missed
//     one. Version "FINGERPRINT|N": the promise's definition and how many
//     observations of its metric it accounts for. An import ORs the
//     customers it read into it when N is the metric's count before the
//     import (duplicates change nothing: the flags are idempotent), and
//     rebuilds it from every observation otherwise (a changed definition,
//     a crashed or concurrent import, corrected observations);
//   - the customers' voices ("state|voices"): per customer, their latest NPS
//     and CSAT answer and whether they complained or left, rebuilt from the
//     stored feedback when the feedback version changes.
//
// All three live in the store's report cache, as blobs.

const (
	indexName  = "state|customers"
	voicesName = "state|voices"
)

func promiseStateName(id string) string { return "state|promise|" + id }

// customerIndex interns customer ids. It only grows; hashes[k] hashes its
// first k ids, so state built against a prefix of it can check that the
// stored index still starts with that prefix (another process may have
// stored its own index in between).
type customerIndex struct {
	ids    []string
	pos    map[string]uint32
	hashes []uint64
}

func newCustomerIndex() *customerIndex {
	return &customerIndex{pos: map[string]uint32{}, hashes: []uint64{fnvOffset}}
}

// add returns the position of id, adding it when new.
func (x *customerIndex) add(id string) uint32 {
	if i, ok := x.pos[id]; ok {
		return i
	}
	id = strings.Clone(id)
	i := uint32(len(x.ids))
	x.ids = append(x.ids, id)
	x.pos[id] = i
	x.hashes = append(x.hashes, fnvMix(x.hashes[len(x.hashes)-1], id))
	return i
}

// token names the index as it is now: "LEN:HASH".
func (x *customerIndex) token() string {
	return fmt.Sprintf("%d:%x", len(x.ids), x.hashes[len(x.ids)])
}

// holds reports whether the index starts with the prefix a token names.
func (x *customerIndex) holds(token string) bool {
	n, h, ok := strings.Cut(token, ":")
	if !ok {
		return false
	}
	k, err := strconv.Atoi(n)
	if err != nil || k < 0 || k > len(x.ids) {
		return false
	}
	return fmt.Sprintf("%x", x.hashes[k]) == h
}

// splitVersion splits "BASE#TOKEN".
func splitVersion(v string) (base, token string) {
	i := strings.LastIndexByte(v, '#')
	if i < 0 {
		return v, ""
	}
	return v[:i], v[i+1:]
}

func saveIndex(ctx context.Context, st saydo.Store, x *customerIndex) error {
	return st.PutCachedReport(ctx, indexName, x.token(), x.encode())
}

func (x *customerIndex) encode() []byte {
	var b []byte
	for _, id := range x.ids {
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	}
	return b
}

// decodeIndex reads what encode wrote; hint is the expected number of
// ids. The ids share one copy of the blob.
func decodeIndex(blob []byte, hint int) (*customerIndex, error) {
	hint = min(max(hint, 0), len(blob))
	x := &customerIndex{ids: make([]string, 0, hint), pos: make(map[string]uint32, hint), hashes: make([]uint64, 1, hint+1)}
	x.hashes[0] = fnvOffset
	b := string(blob)
	for len(b) > 0 {
		n, k := uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, errors.New("customer index: corrupt")
		}
		id := b[k : k+int(n)]
		if _, dup := x.pos[id]; dup {
			return nil, errors.New("customer index: corrupt")
		}
		x.pos[id] = uint32(len(x.ids))
		x.ids = append(x.ids, id)
		x.hashes = append(x.hashes, fnvMix(x.hashes[len(x.hashes)-1], id))
		b = b[k+int(n):]
	}
	return x, nil
}

// uvarint is binary.Uvarint on a string, without copying it.
func uvarint(s string) (uint64, int) {
	var x uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<(7*i), i + 1
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	return 0, 0
}

// bitset is a growable set of customer positions.
type bitset []uint64

func (s *bitset) set(i uint32) {
	w := int(i >> 6)
	for len(*s) <= w {
		*s = append(*s, 0)
	}
	(*s)[w] |= 1 << (i & 63)
}

func (s bitset) has(i uint32) bool {
	w := int(i >> 6)
	return w < len(s) && s[w]&(1<<(i&63)) != 0
}

// promiseState is who experienced a promise and who experienced a miss.
type promiseState struct {
	seen, missed bitset
}

func (p *promiseState) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(len(p.seen)))
	for _, w := range p.seen {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	b = binary.AppendUvarint(b, uint64(len(p.missed)))
	for _, w := range p.missed {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

func decodePromiseState(b []byte) (*promiseState, error) {
	p := &promiseState{}
	for _, dst := range []*bitset{&p.seen, &p.missed} {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < 8*n {
			return nil, errors.New("promise state: corrupt")
		}
		b = b[k:]
		*dst = make(bitset, n)
		for i := range *dst {
			(*dst)[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
		b = b[8*n:]
	}
	return p, nil
}

// voice codes: a customer's latest NPS answer as detractor, passive or
// promoter, their latest CSAT answer as unsatisfied or satisfied (4–5),
// noAnswer when absent; flags for complaints and churn.
const (
	detractor, passive, promoter = 0, 1, 2
	unsatisfied, satisfied       = 0, 1
	noAnswer                     = 255
	complained                   = 1
	churned                      = 2
)

func npsCode(score float64) byte {
	switch {
	case score >= 9:
		return promoter
	case score <= 6:
		return detractor
	}
	return passive
}

// voices is what each customer said, voiceSize bytes per customer
// position: NPS code, CSAT code, flags, then the times (Unix ms) of the NPS
// and CSAT answers, so an import can tell whether its answer is later.
type voices []byte

const voiceSize = 19

func (v voices) at(i uint32) (nps, csat, flags byte, ok bool) {
	j := voiceSize * int(i)
	if j+voiceSize > len(v) {
		return noAnswer, noAnswer, 0, false
	}
	return v[j], v[j+1], v[j+2], true
}

// grow extends v with empty records up to n customers.
func (v voices) grow(n int) voices {
	for len(v) < voiceSize*n {
		rec := [voiceSize]byte{noAnswer, noAnswer}
		v = append(v, rec[:]...)
	}
	return v
}

// apply folds what a customer said into their record: a later NPS or CSAT
// answer replaces the stored one; complaints and churn add up.
func (v voices) apply(i uint32, cv customerVoice) (churn bool) {
	r := v[voiceSize*int(i) : voiceSize*int(i)+voiceSize]
	if !math.IsNaN(cv.nps) && (r[0] == noAnswer || cv.npsAt >= int64(binary.LittleEndian.Uint64(r[3:]))) {
		r[0] = npsCode(cv.nps)
		binary.LittleEndian.PutUint64(r[3:], uint64(cv.npsAt))
	}
	if !math.IsNaN(cv.csat) && (r[1] == noAnswer || cv.csatAt >= int64(binary.LittleEndian.Uint64(r[11:]))) {
		r[1] = unsatisfied
		if cv.csat >= 4 {
			r[1] = satisfied
		}
		binary.LittleEndian.PutUint64(r[11:], uint64(cv.csatAt))
	}
	if cv.complained {
		r[2] |= complained
	}
	if cv.churned {
		r[2] |= churned
	}
	return cv.churned
}

// importedCustomers collects, during an import, the customers of each
// promise the rows name, with whether a row missed the promise.
type importedCustomers struct {
	index    *customerIndex
	load     func() (*customerIndex, error)
	err      error // from loading the index
	promises map[string]*promiseState
	// before is each metric's observation count when the import started.
	before map[string]int64
}

func newImportedCustomers(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (*importedCustomers, error) {
	// New customers extend the stored index, so the import's positions
	// are the stored ones (one map of customers in memory, not two). It
	// is loaded at the first row that names a customer: an import without
	// customer ids does not read it.
	ic := &importedCustomers{promises: map[string]*promiseState{}, before: map[string]int64{},
		load: func() (*customerIndex, error) { return loadIndex(ctx, st) }}
	for _, m := range ws.Metrics() {
		_, _, n, err := st.ObservationSpan(ctx, m)
		if err != nil {
			return nil, err
		}
		ic.before[m] = n
	}
	return ic, nil
}

// add records one parsed observation for every promise it is evidence of.
func (ic *importedCustomers) add(o *saydo.Observation, promises []*saydo.Promise) {
	if o.Customer == "" {
		return
	}
	if ic.index == nil {
		if ic.err != nil {
			return
		}
		if ic.index, ic.err = ic.load(); ic.err != nil {
			ic.index = nil
			return
		}
	}
	var i uint32
	added := false
	for _, p := range promises {
		if !p.Holds(o.At) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) {
			continue
		}
		if !added {
			i, added = ic.index.add(o.Customer), true
		}
		s := ic.promises[p.ID]
		if s == nil {
			s = &promiseState{}
			ic.promises[p.ID] = s
		}
		s.seen.set(i)
		if !p.Objective.Meets(o.Value) {
			s.missed.set(i)
		}
	}
}

// merge adds an import's customers to the stored state of each promise,
// after the import committed. corrected says whether the import replaced
// stored observations (whose misses an OR cannot undo): their promises are
// rebuilt.
func (ic *importedCustomers) merge(ctx context.Context, st saydo.Store, ws *saydo.Workspace, corrected bool) error {
	if ic.err != nil {
		return fmt.Errorf("customer index: %w", ic.err)
	}
	if len(ic.promises) == 0 {
		return nil
	}
	idx := ic.index
	states := map[string]*promiseState{}
	counts := map[string]int64{}
	for id, in := range ic.promises {
		p, ok := ws.Promise(id)
		if !ok {
			continue
		}
		_, _, n, err := st.ObservationSpan(ctx, p.Metric)
		if err != nil {
			return err
		}
		version, body, err := st.CachedReport(ctx, promiseStateName(id))
		if err != nil {
			return err
		}
		var cur *promiseState
		base, token := splitVersion(version)
		switch {
		case corrected:
		case base == stateVersion(p, ic.before[p.Metric]) && idx.holds(token):
			cur, err = decodePromiseState(body)
			if err != nil {
				cur = nil
			}
		case version == "" && ic.before[p.Metric] == 0:
			cur = &promiseState{} // the first evidence of the metric
		}
		if cur == nil {
			// Rebuilt from every observation when a report needs it.
			if err := st.PutCachedReport(ctx, promiseStateName(id), "stale", []byte{}); err != nil {
				return err
			}
			continue
		}
		for w, word := range in.seen {
			for word != 0 {
				b := uint32(w<<6) + uint32(trailingZeros(word))
				word &= word - 1
				cur.seen.set(b)
				if in.missed.has(b) {
					cur.missed.set(b)
				}
			}
		}
		states[id] = cur
		counts[id] = n
	}
	// The index first: a state never names positions the stored index
	// lacks (and if another process's index replaces ours, the states'
	// tokens no longer match and they are rebuilt).
	if err := saveIndex(ctx, st, idx); err != nil {
		return err
	}
	for id, cur := range states {
		p, _ := ws.Promise(id)
		if err := st.PutCachedReport(ctx, promiseStateName(id), stateVersion(p, counts[id])+"#"+idx.token(), cur.encode()); err != nil {
			return err
		}
	}
	return nil
}

func trailingZeros(w uint64) int {
	n := 0
	for w&1 == 0 {
		w >>= 1
		n++
	}
	return n
}

func stateVersion(p *saydo.Promise, n int64) string {
	return p.Fingerprint() + "|" + strconv.FormatInt(n, 10)
}

func loadIndex(ctx context.Context, st saydo.Store) (*customerIndex, error) {
	v, body, err := st.CachedReport(ctx, indexName)
	if err != nil {
		return nil, err
	}
	if v == "" {
		return newCustomerIndex(), nil
	}
	hint, _, _ := strings.Cut(v, ":")
	n, _ := strconv.Atoi(hint)
	x, err := decodeIndex(body, n)
	if err != nil || x.token() != v {
		return newCustomerIndex(), nil // unreadable: start over, every state is rebuilt
	}
	return x, nil
}

// customerState is the loaded state a full-range outcome is joined from.
type customerState struct {
	st     saydo.Store
	index  *customerIndex
	voices voices
	// changed says the index grew and must be stored.
	changed   bool
	withChurn bool
}

// loadCustomerState loads the customer index and the voices, rebuilding
// the voices from the stored feedback (and the churn metric's
// observations) when version, which names the feedback version and churn
// sources, changed.
func loadCustomerState(ctx context.Context, st saydo.Store, version, churnKind, churnMetric string) (*customerState, error) {
	idx, err := loadIndex(ctx, st)
	if err != nil {
		return nil, err
	}
	cs := &customerState{st: st, index: idx}
	v, body, err := st.CachedReport(ctx, voicesName)
	if err != nil {
		return nil, err
	}
	if base, token := splitVersion(v); base == version && idx.holds(token) && len(body) > 0 {
		cs.withChurn = body[0] == 1
		cs.voices = voices(body[1:])
		return cs, nil
	}
	all, err := readCustomerVoices(ctx, st, time.Time{}, time.Time{}, churnKind)
	if err != nil {
		return nil, err
	}
	if churnMetric != "" {
		if err := readChurnMetric(ctx, st, churnMetric, time.Time{}, time.Time{}, all); err != nil {
			return nil, err
		}
	}
	n0 := len(idx.ids)
	for id := range all {
		idx.add(id)
	}
	cs.changed = len(idx.ids) != n0
	vs := voices(nil).grow(len(idx.ids))
	out := []byte{0}
	for id, cv := range all {
		if vs.apply(idx.pos[id], cv) {
			out[0] = 1
		}
	}
	out = append(out, vs...)
	cs.withChurn = out[0] == 1
	cs.voices = voices(out[1:])
	if cs.changed {
		if err := saveIndex(ctx, st, idx); err != nil {
			return nil, err
		}
		cs.changed = false
	}
	if err := st.PutCachedReport(ctx, voicesName, version+"#"+idx.token(), out); err != nil {
		return nil, err
	}
	return cs, nil
}

// promise returns the state of a promise, rebuilt from every observation
// of its metric when it is not current.
func (cs *customerState) promise(ctx context.Context, p *saydo.Promise) (*promiseState, error) {
	_, _, n, err := cs.st.ObservationSpan(ctx, p.Metric)
	if err != nil {
		return nil, err
	}
	v, body, err := cs.st.CachedReport(ctx, promiseStateName(p.ID))
	if err != nil {
		return nil, err
	}
	if base, token := splitVersion(v); base == stateVersion(p, n) && cs.index.holds(token) {
		if ps, err := decodePromiseState(body); err == nil {
			return ps, nil
		}
	}
	ps := &promiseState{}
	n0 := len(cs.index.ids)
	err = cs.st.ScanObservations(ctx, p.Metric, time.Unix(-1<<40, 0), farFuture, func(o *saydo.Observation) error {
		if o.Customer == "" || !p.Holds(o.At) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) {
			return nil
		}
		i := cs.index.add(o.Customer)
		ps.seen.set(i)
		if !p.Objective.Meets(o.Value) {
			ps.missed.set(i)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rebuild customers of %s: %w", p.ID, err)
	}
	if len(cs.index.ids) != n0 {
		if err := saveIndex(ctx, cs.st, cs.index); err != nil {
			return nil, err
		}
	}
	if err := cs.st.PutCachedReport(ctx, promiseStateName(p.ID), stateVersion(p, n)+"#"+cs.index.token(), ps.encode()); err != nil {
		return nil, err
	}
	return ps, nil
}

// join splits a promise's customers into missed and kept and adds up
// what each group said.
func (cs *customerState) join(ps *promiseState) (missed, kept impact.Group) {
	for w, word := range ps.seen {
		for word != 0 {
			i := uint32(w<<6) + uint32(trailingZeros(word))
			word &= word - 1
			g := &kept
			if ps.missed.has(i) {
				g = &missed
			}
			g.Customers++
			nps, csat, flags, ok := cs.voices.at(i)
			if !ok {
				continue
			}
			if nps != noAnswer {
				g.NPS.N++
				switch nps {
				case promoter:
					g.NPS.Promoters++
				case detractor:
					g.NPS.Detractors++
				}
			}
			if csat != noAnswer {
				g.CSATAnswers++
				if csat == satisfied {
					g.CSATSatisfied++
				}
			}
			if flags&complained != 0 {
				g.Complained++
			}
			if flags&churned != 0 {
				g.Churned++
			}
		}
	}
	return missed, kept
}

// affected counts the distinct customers with a missed observation of p
// in [from, to).
func affected(ctx context.Context, st saydo.Store, p *saydo.Promise, from, to time.Time) (int64, error) {
	seen := map[string]struct{}{}
	err := st.ScanObservations(ctx, p.Metric, from, to, func(o *saydo.Observation) error {
		if o.Customer == "" || !p.Holds(o.At) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) || p.Objective.Meets(o.Value) {
			return nil
		}
		if _, ok := seen[o.Customer]; !ok {
			seen[strings.Clone(o.Customer)] = struct{}{}
		}
		return nil
	})
	return int64(len(seen)), err
}

// VoiceImport keeps the customers' voices current through a feedback
// import: Add every batch as it is stored, then Finish once the import
// committed. It folds the import's items into the stored voices instead of
// rereading all feedback; when the stored voices are not those of the
// feedback as the import found it (another import, a crash), Finish leaves
// them to be rebuilt.
type VoiceImport struct {
	before               int64
	churnKind, churnVers string
	items                map[string]customerVoice
	// corrected is set when a batch replaced stored items.
	corrected bool
}

// StartVoiceImport notes the feedback version before an import.
func StartVoiceImport(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (*VoiceImport, error) {
	fv, err := st.FeedbackVersion(ctx)
	if err != nil {
		return nil, err
	}
	kind, _, version, err := churnSources(ctx, st, ws)
	if err != nil {
		return nil, err
	}
	return &VoiceImport{before: fv, churnKind: kind, churnVers: version, items: map[string]customerVoice{}}, nil
}

// Track returns st with the items of every committed feedback batch noted
// in vi (and none of a batch rolled back).
func (vi *VoiceImport) Track(st saydo.FeedbackStore) saydo.FeedbackStore {
	return trackedFeedback{st, vi}
}

type trackedFeedback struct {
	saydo.FeedbackStore
	vi *VoiceImport
}

func (t trackedFeedback) BeginFeedback(ctx context.Context) (saydo.FeedbackTx, error) {
	tx, err := t.FeedbackStore.BeginFeedback(ctx)
	if err != nil {
		return nil, err
	}
	return &trackedTx{FeedbackTx: tx, vi: t.vi}, nil
}

type trackedTx struct {
	saydo.FeedbackTx
	vi      *VoiceImport
	pending []saydo.Feedback
}

func (t *trackedTx) Insert(batch []saydo.Feedback) (int, int, error) {
	n, r, err := t.FeedbackTx.Insert(batch)
	if err == nil {
		t.note(batch, r)
	}
	return n, r, err
}

func (t *trackedTx) InsertNew(batch []saydo.Feedback, fresh []bool) (int, int, error) {
	n, r, err := t.FeedbackTx.InsertNew(batch, fresh)
	if err == nil {
		t.note(batch, r)
	}
	return n, r, err
}

// note keeps what a stored batch says until the transaction commits.
// Duplicates are noted too: folding them in again changes nothing.
func (t *trackedTx) note(batch []saydo.Feedback, replaced int) {
	if replaced > 0 {
		t.vi.corrected = true
	}
	for i := range batch {
		if f := &batch[i]; f.Customer != "" {
			t.pending = append(t.pending, saydo.Feedback{Customer: f.Customer, At: f.At, Kind: f.Kind, NPS: f.NPS, CSAT: f.CSAT})
		}
	}
}

func (t *trackedTx) Commit() error {
	err := t.FeedbackTx.Commit()
	if err == nil {
		t.vi.add(t.pending)
	}
	t.pending = nil
	return err
}

func (t *trackedTx) Rollback() error {
	t.pending = nil
	return t.FeedbackTx.Rollback()
}

// add notes what the items of a committed batch say.
func (vi *VoiceImport) add(batch []saydo.Feedback) {
	for i := range batch {
		f := &batch[i]
		if f.Customer == "" {
			continue
		}
		foldVoice(vi.items, f, vi.churnKind)
	}
}

// Finish folds the import into the stored voices. When the import
// replaced stored items (a replaced answer may be earlier than the one
// stored), the voices are left to be rebuilt.
func (vi *VoiceImport) Finish(ctx context.Context, st saydo.Store) error {
	if len(vi.items) == 0 || vi.corrected {
		return nil
	}
	idx, err := loadIndex(ctx, st)
	if err != nil {
		return err
	}
	v, body, err := st.CachedReport(ctx, voicesName)
	if err != nil {
		return err
	}
	base, token := splitVersion(v)
	if base != voicesVersion(vi.churnVers, vi.before) || !idx.holds(token) || len(body) == 0 {
		return nil // not current: the next report rebuilds the voices
	}
	n0 := len(idx.ids)
	for id := range vi.items {
		idx.add(id)
	}
	out := append([]byte(nil), body...)
	vs := voices(out[1:]).grow(len(idx.ids))
	for id, cv := range vi.items {
		if vs.apply(idx.pos[id], cv) {
			out[0] = 1
		}
	}
	out = append(out[:1], vs...)
	fv, err := st.FeedbackVersion(ctx)
	if err != nil {
		return err
	}
	if len(idx.ids) != n0 {
		if err := saveIndex(ctx, st, idx); err != nil {
			return err
		}
	}
	return st.PutCachedReport(ctx, voicesName, voicesVersion(vi.churnVers, fv)+"#"+idx.token(), out)
}
