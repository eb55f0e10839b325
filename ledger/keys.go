package ledger

import (
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
// of rows per metric, the filter is fixed (bloomBits), and the late map
// holds at most 1% of the rows keyed before the sort.
type rowKeyer struct {
	latest map[string]int64         // per metric, the latest time keyed (Unix ms)
	window map[uint64]int64         // content → occurrences counted
	fifo   map[string][]windowEntry // per metric, window contents in arrival order
	late   map[uint64]*lateCount    // contents of late rows, before the sort
	seen   *bloom                   // contents forgotten from the window

	// The run of equal contents passing in sorted order.
	run struct {
		ok      bool
		content uint64
		n       int64
		late    bool
	}
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
	return &rowKeyer{latest: map[string]int64{}, window: map[uint64]int64{}, fifo: map[string][]windowEntry{}, late: map[uint64]*lateCount{}}
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
	last, ok := k.latest[o.Metric]
	if !ok || at > last {
		k.latest[o.Metric] = at
		last = at
		k.forget(o.Metric, at-farBack.Milliseconds())
	}
	if n, ok := k.window[c]; ok {
		k.window[c] = n + 1
		return saydo.OccurrenceKey(c, n)
	}
	if at >= last-farBack.Milliseconds() {
		k.window[c] = 1
		k.fifo[o.Metric] = append(k.fifo[o.Metric], windowEntry{at: at, content: c})
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

// forget moves the window's contents of metric older than horizon into the
// Bloom filter.
func (k *rowKeyer) forget(metric string, horizon int64) {
	q := k.fifo[metric]
	i := 0
	for i < len(q) && q[i].at < horizon {
		if k.seen == nil {
			k.seen = newBloom()
		}
		k.seen.add(q[i].content)
		delete(k.window, q[i].content)
		i++
	}
	if i == 0 {
		return
	}
	if i == len(q) {
		k.fifo[metric] = q[:0]
		return
	}
	if i > len(q)/2 {
		// Keep the slice from growing without bound as its front is consumed.
		k.fifo[metric] = append(q[:0], q[i:]...)
		return
	}
	k.fifo[metric] = q[i:]
}

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
const bloomBits = 1 << 27

// bloom is a blocked Bloom filter of 64-bit hashes (Putze, Sanders and
// Singler, "Cache-, hash- and space-efficient Bloom filters", 2007): a
// hash picks one 512-bit block, a cache line, and sets four bits in it,
// so an add or a lookup touches one line of memory instead of four.
type bloom struct{ bits []uint64 }

const bloomBlocks = bloomBits / 512

func newBloom() *bloom { return &bloom{bits: make([]uint64, bloomBits/64)} }

// block returns the first word of h's block and the four bits (0-511)
// within it.
func (b *bloom) block(h uint64) (int, [4]uint64) {
	h *= 0x9e3779b97f4a7c15 // spread FNV's bits
	w := int((h>>32)%bloomBlocks) * 8
	return w, [4]uint64{h & 511, (h >> 9) & 511, (h >> 18) & 511, ((h >> 27) ^ (h >> 55)) & 511}
}

func (b *bloom) add(h uint64) {
	w, bits := b.block(h)
	blk := b.bits[w : w+8 : w+8]
	for _, i := range bits {
		blk[i/64] |= 1 << (i % 64)
	}
}

// has reports whether h may have been added; a nil filter has nothing.
func (b *bloom) has(h uint64) bool {
	if b == nil {
		return false
	}
	w, bits := b.block(h)
	blk := b.bits[w : w+8 : w+8]
	for _, i := range bits {
		if blk[i/64]&(1<<(i%64)) == 0 {
			return false
		}
	}
	return true
}
