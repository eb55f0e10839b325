package ledger

import (
	"slices"

	"github.com/saydo/saydo"
)

// rowKeyer gives each observation without a source id its key,
// saydo.ObservationKey of its content and its occurrence: how many rows of
// the input with the same content were keyed before it. Rows with the
// same content are indistinguishable, so it does not matter which of them
// is the first: the same rows in any order get the same keys, and an
// export that overlaps one already imported adds only what is new.
//
// Counting occurrences exactly would mean remembering every row's content.
// Rows with one content share their time, so the keyer remembers only the
// contents near the latest time of their metric, and the importer delivers
// the rest in an order that makes equal contents neighbours:
//
//   - While the input comes in time order (rows go back less than a day:
//     farBack), each content is counted in a window: contents whose time
//     falls more than farBack behind their metric's latest leave it, into
//     a Bloom filter of contents seen and forgotten.
//   - A row further back than the window (late) is counted in a map of
//     late contents, which stays small: the importer sorts the input once
//     more than 1% of a batch's rows are late.
//   - Once the importer sorts, rows come sorted by metric, time and content,
//     so equal contents arrive together and a run of them is counted as it
//     passes, starting from what the window or the late map counted before
//     the sort; nothing more is remembered.
//
// A content the Bloom filter may have seen (forgotten from the window, then
// met again late) cannot be counted: its rows get saydo.LateKey instead,
// which no other row has, so nothing is lost, and the same input keyed
// again gets the same keys. Memory stays bounded: the window holds a day
// of rows per metric and at most windowCap contents in all (a denser day
// lets its oldest go early, into the filter: a content met again within
// the day may then be one of them, and gets a LateKey too when the filter
// says so), the filter is fixed (bloomBits, and bloomPending hashes
// waiting), and the late map holds about 1% of the rows keyed before the
// sort, plus the filter's false positives.
type rowKeyer struct {
	metrics map[string]*metricWindow // the window's side of each metric
	window  map[uint64]int64         // content → occurrences counted
	late    map[uint64]*lateCount    // contents of late rows, before the sort
	seen    *bloom                   // contents forgotten from the window

	// The metric of the row keyed last, which the next one usually has.
	lastMetric string
	last       *metricWindow

	// The run of equal contents passing in sorted order.
	run struct {
		ok      bool
		content uint64
		n       int64
		late    bool
	}
}

// metricWindow is what the window keeps of one metric.
type metricWindow struct {
	latest int64         // the latest time keyed (Unix ms)
	fifo   []windowEntry // its contents in the window, in arrival order
	// early says some of its contents left the window before their day
	// was over (windowCap), earlyAt the latest time of those: a content
	// met again at or before it may be one forgotten, and the filter is
	// asked.
	early   bool
	earlyAt int64
}

type windowEntry struct {
	at      int64
	content uint64
}

type lateCount struct {
	n     int64
	maybe bool // the content may have been forgotten: LateKey
}

func newRowKeyer() *rowKeyer {
	return &rowKeyer{metrics: map[string]*metricWindow{}, window: map[uint64]int64{}, late: map[uint64]*lateCount{}, seen: newBloom()}
}

// metric returns the window's side of a metric, made on its first row.
func (k *rowKeyer) metric(name string) (m *metricWindow, first bool) {
	if k.last != nil && name == k.lastMetric {
		return k.last, false
	}
	m, ok := k.metrics[name]
	if !ok {
		m = &metricWindow{}
		k.metrics[name] = m
	}
	k.lastMetric, k.last = name, m
	return m, !ok
}

// key sets the keys of b's rows without a source id, whose Key holds their
// content (saydo.ObservationContent) until then. sorted says b comes from
// the importer's sort.
func (k *rowKeyer) key(b []saydo.Observation, sorted bool) {
	for i := range b {
		o := &b[i]
		if o.SourceID != "" {
			continue
		}
		c := o.Key
		if sorted {
			o.Key = k.sortedKey(c, o)
			continue
		}
		o.Key = k.streamKey(c, o)
	}
}

// streamKey keys a row that comes as the input gave it.
func (k *rowKeyer) streamKey(c uint64, o *saydo.Observation) uint64 {
	at := o.At.UnixMilli()
	m, first := k.metric(o.Metric)
	if first || at > m.latest {
		m.latest = at
		k.evict(m, func(e windowEntry) bool { return e.at < at-farBack.Milliseconds() })
	}
	if n, ok := k.window[c]; ok {
		k.window[c] = n + 1
		return saydo.OccurrenceKey(c, n)
	}
	if at >= m.latest-farBack.Milliseconds() && !(m.early && at <= m.earlyAt && k.seen.has(c)) {
		k.window[c] = 1
		m.fifo = append(m.fifo, windowEntry{at: at, content: c})
		if len(k.window) > windowCap {
			// A day holds more rows than the window keeps: the oldest of
			// this metric leave it before their day is over.
			k.evict(m, func(e windowEntry) bool {
				if !m.early || e.at > m.earlyAt {
					m.early, m.earlyAt = true, e.at
				}
				return len(k.window) > windowCap
			})
		}
		return saydo.OccurrenceKey(c, 0)
	}
	lc := k.late[c]
	if lc == nil {
		lc = &lateCount{maybe: k.seen.has(c)}
		k.late[c] = lc
	}
	n := lc.n
	lc.n++
	if lc.maybe {
		return saydo.LateKey(c, n)
	}
	return saydo.OccurrenceKey(c, n)
}

// evict moves m's contents in the window into the Bloom filter, the
// oldest arrived first, while more returns true: those more than farBack
// behind the metric's latest time, or the oldest while the window is over
// its cap.
func (k *rowKeyer) evict(m *metricWindow, more func(windowEntry) bool) {
	q := m.fifo
	i := 0
	for i < len(q) && more(q[i]) {
		k.seen.add(q[i].content)
		delete(k.window, q[i].content)
		i++
	}
	switch {
	case i == 0:
	case i == len(q):
		m.fifo = q[:0]
	case i > len(q)/2:
		// Keep the slice from growing without bound as its front is consumed.
		m.fifo = append(q[:0], q[i:]...)
	default:
		m.fifo = q[i:]
	}
}

// windowCap is the most contents the window holds: about 4 MiB. A day
// with more rows than this (per-second telemetry) keeps memory flat; its
// equal rows further apart in the input than this many rows are keyed on
// their own (saydo.LateKey), as a late repeat is.
var windowCap = 1 << 16

// sortedKey keys a row of the sorted stream: equal contents are
// neighbours in it.
func (k *rowKeyer) sortedKey(c uint64, o *saydo.Observation) uint64 {
	r := &k.run
	if !r.ok || r.content != c {
		r.ok, r.content, r.n, r.late = true, c, 0, false
		if n, ok := k.window[c]; ok {
			r.n = n
		} else if lc := k.late[c]; lc != nil {
			r.n, r.late = lc.n, lc.maybe
		} else {
			r.late = k.seen.has(c)
		}
	}
	n := r.n
	r.n++
	if r.late {
		return saydo.LateKey(c, n)
	}
	return saydo.OccurrenceKey(c, n)
}

// bloomBits is the size of the keyer's Bloom filter: 16 MiB, which keeps
// its false positives near 1% up to about 13 million forgotten contents.
const bloomBits = 1 << 27 // bloomBlockBits blocks of 512 bits

// bloom is a blocked Bloom filter of 64-bit hashes (Putze, Sanders and
// Singler, "Cache-, hash- and space-efficient Bloom filters", 2007): a
// hash picks one 512-bit block, a cache line, and sets eight bits in it.
// Adds are gathered (pending) and set in block order when bloomPending of
// them are waiting or the filter is asked: a pass through memory in order
// instead of a cache and TLB miss per content, and no filter at all for an
// input that never asks (a sorted file).
type bloom struct {
	bits    []uint64
	pending []uint64 // spread hashes not set yet
}

const (
	bloomBlockBits = 18 // log2 of the blocks: 2^18 of 512 bits
	bloomPending   = 1 << 20
)

func newBloom() *bloom { return &bloom{} }

// spread mixes an FNV hash so that its top bits choose the block and its
// low bits (and a second mix of them) the bits in it.
func spread(h uint64) uint64 { return h * 0x9e3779b97f4a7c15 }

func (b *bloom) add(h uint64) {
	b.pending = append(b.pending, spread(h))
	if len(b.pending) >= bloomPending {
		b.flush()
	}
}

// flush sets the pending hashes' bits, in block order.
func (b *bloom) flush() {
	if b.bits == nil {
		b.bits = make([]uint64, bloomBits/64)
	}
	slices.Sort(b.pending) // the top bits are the block
	for _, x := range b.pending {
		b.set(x)
	}
	b.pending = b.pending[:0]
}

// block returns x's block and the eight bits (0-511) it sets there: four
// from x's low bits, four from a second mix of it.
func (b *bloom) block(x uint64) ([]uint64, [8]uint64) {
	w := int(x>>(64-bloomBlockBits)) * 8
	y := (x<<32 | x>>32) * 0xc2b2ae3d27d4eb4f
	return b.bits[w : w+8 : w+8], [8]uint64{x & 511, (x >> 9) & 511, (x >> 18) & 511, (x >> 27) & 511,
		y >> 55, (y >> 46) & 511, (y >> 37) & 511, (y >> 28) & 511}
}

func (b *bloom) set(x uint64) {
	blk, bits := b.block(x)
	for _, i := range bits {
		blk[i/64] |= 1 << (i % 64)
	}
}

// has reports whether h may have been added; a nil filter has nothing.
func (b *bloom) has(h uint64) bool {
	if b == nil {
		return false
	}
	if len(b.pending) > 0 {
		b.flush()
	}
	if b.bits == nil {
		return false
	}
	blk, bits := b.block(spread(h))
	for _, i := range bits {
		if blk[i/64]&(1<<(i%64)) == 0 {
			return false
		}
	}
	return true
}

// contentCounter keys the rows without a source id of a kind the importer
// does not sort (feedback, contacts), as they come, with
// saydo.OccurrenceKey of their content and occurrence. Those files are
// seldom in time order and their equal rows seldom neighbours (a survey
// export's score-only answers of one day, a shuffled re-export), so every
// content is counted exactly, up to countCap of them (about 60 MiB): any
// order of an input of up to 2 million distinct items gets the same keys.
// Past the cap, a new content the Bloom filter has not seen is a first
// and is added to it; one it may have seen (a repeat, or a false
// positive: about 1% at 13 million contents) gets a saydo.LateKey,
// stable for the same input, so nothing is lost and the same input again
// adds nothing, but the same rows in another order may store such a row
// twice.
type contentCounter struct {
	counts   map[uint64]int64
	seen     *bloom
	overflow int64
}

// countCap is the most contents a contentCounter counts exactly.
var countCap = 1 << 21

func newContentCounter() *contentCounter {
	return &contentCounter{counts: map[uint64]int64{}, seen: newBloom()}
}

// key returns the key of the next row with content c.
func (k *contentCounter) key(c uint64) uint64 {
	if n, ok := k.counts[c]; ok {
		k.counts[c] = n + 1
		return saydo.OccurrenceKey(c, n)
	}
	if len(k.counts) < countCap {
		k.counts[c] = 1
		return saydo.OccurrenceKey(c, 0)
	}
	if k.seen.has(c) {
		k.overflow++
		return saydo.LateKey(c, k.overflow-1)
	}
	k.seen.add(c)
	return saydo.OccurrenceKey(c, 0)
}
