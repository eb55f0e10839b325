package saydo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sync"
)

// CustomerFilter is the set of customers contacted on one day, as a
// scalable Bloom filter: asked about a customer it holds, it always says
// maybe; asked about one it does not, it says no except for about one
// customer in a hundred. The stores keep one per day of contacts, so that
// reading one customer's contacts over the days of a rule's lookback (the
// check before a send) reads only the days that may hold them instead of
// every day.
//
// It grows by layers, each four times the capacity of the one before, so
// it never needs the contacts again to grow: adding a customer it may hold
// already changes nothing. Memory: about 10 bits per customer of the day.
type CustomerFilter struct {
	layers []filterLayer
}

type filterLayer struct {
	words []uint64
	n     int // customers added
	cap   int // customers it holds at about 1% false positives
}

const (
	filterFirstCap   = 512
	filterGrowth     = 4
	filterBitsPerKey = 10
	filterProbes     = 7
	filterVersion    = 1
)

// CustomerHash is the hash a CustomerFilter keeps of a customer id.
func CustomerHash(customer string) uint64 {
	// FNV-1a, then a finaliser (splitmix64) so every bit depends on every
	// byte: the probes use the low and high halves.
	h := fnvString(fnvOffset, customer)
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

func newFilterLayer(capacity int) filterLayer {
	blocks := (capacity*filterBitsPerKey + 511) / 512
	return filterLayer{words: make([]uint64, 8*blocks), cap: capacity}
}

// A layer is blocked: the probes of one customer fall in one block of 512
// bits (a cache line), so asking a layer costs one memory read, not seven.

// block returns the first word of h's block in a layer of words.
func block(h uint64, words int) int {
	hi, _ := bits.Mul64(h, uint64(words/8))
	return int(hi) * 8
}

// probeBits returns the probes' bit indexes within a block: 9 bits each
// of a second hash.
func probeBits(h uint64) uint64 { return h * 0x9e3779b97f4a7c15 }

func (l *filterLayer) has(h uint64) bool {
	b := l.words[block(h, len(l.words)):]
	g := probeBits(h)
	for range filterProbes {
		bit := g & 511
		if b[bit/64]&(1<<(bit%64)) == 0 {
			return false
		}
		g >>= 9
	}
	return true
}

func (l *filterLayer) add(h uint64) {
	b := l.words[block(h, len(l.words)):]
	g := probeBits(h)
	for range filterProbes {
		bit := g & 511
		b[bit/64] |= 1 << (bit % 64)
		g >>= 9
	}
	l.n++
}

// MayContain reports whether the customer whose CustomerHash is h may be
// in the filter; false means it certainly is not.
func (f *CustomerFilter) MayContain(h uint64) bool {
	for i := range f.layers {
		if f.layers[i].has(h) {
			return true
		}
	}
	return false
}

// Add puts the customer whose CustomerHash is h in the filter.
func (f *CustomerFilter) Add(h uint64) { f.add(h, 0) }

// add is Add, making a new layer hold at least more customers (those
// about to be added: an import adds a day's customers at once, and one
// layer sized for them is asked faster than several).
func (f *CustomerFilter) add(h uint64, more int) {
	if f.MayContain(h) {
		return
	}
	if n := len(f.layers); n == 0 || f.layers[n-1].n >= f.layers[n-1].cap {
		c := max(filterFirstCap, more)
		if n > 0 {
			c = max(c, f.layers[n-1].cap*filterGrowth)
		}
		f.layers = append(f.layers, newFilterLayer(c))
	}
	f.layers[len(f.layers)-1].add(h)
}

// MarshalBinary encodes the filter.
func (f *CustomerFilter) MarshalBinary() ([]byte, error) {
	size := 1 + binary.MaxVarintLen64
	for _, l := range f.layers {
		size += 3*binary.MaxVarintLen64 + 8*len(l.words)
	}
	b := make([]byte, 0, size)
	b = append(b, filterVersion)
	b = binary.AppendUvarint(b, uint64(len(f.layers)))
	for _, l := range f.layers {
		b = binary.AppendUvarint(b, uint64(l.cap))
		b = binary.AppendUvarint(b, uint64(l.n))
		b = binary.AppendUvarint(b, uint64(len(l.words)))
		for _, w := range l.words {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
	}
	return b, nil
}

var errFilter = errors.New("customer filter: malformed")

// UnmarshalBinary decodes a filter MarshalBinary encoded.
func (f *CustomerFilter) UnmarshalBinary(b []byte) error {
	if len(b) == 0 || b[0] != filterVersion {
		return errFilter
	}
	b = b[1:]
	next := func() (int, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > 1<<40 {
			return 0, false
		}
		b = b[n:]
		return int(v), true
	}
	nl, ok := next()
	if !ok || nl > 64 {
		return errFilter
	}
	layers := make([]filterLayer, nl)
	for i := range layers {
		c, ok1 := next()
		n, ok2 := next()
		nw, ok3 := next()
		if !ok1 || !ok2 || !ok3 || c < 1 || c > 1<<32 || n > c || nw != 8*((c*filterBitsPerKey+511)/512) || len(b) < 8*nw {
			return errFilter
		}
		l := filterLayer{cap: c, n: n, words: make([]uint64, nw)}
		for j := range l.words {
			l.words[j] = binary.LittleEndian.Uint64(b[8*j:])
		}
		b = b[8*nw:]
		layers[i] = l
	}
	if len(b) != 0 {
		return errFilter
	}
	f.layers = layers
	return nil
}

// ContactDayFilters is a store's copy in memory of the customer filters of
// its contact days, kept fresh by a sequence number: every import that
// adds contacts bumps it and marks the days whose filters it changed with
// it, so a reader that sees a newer number reloads only those days. It is
// safe for concurrent use.
type ContactDayFilters struct {
	mu     sync.RWMutex
	loaded bool
	seq    int64
	days   map[int64]*CustomerFilter
	sorted []int64           // the days, in order
	byDay  []*CustomerFilter // their filters, in the same order
}

// Fresh reports whether the filters are those of sequence number seq.
func (d *ContactDayFilters) Fresh(seq int64) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.loaded && d.seq == seq
}

// Since returns the sequence number to reload from: days changed after it
// are those to read again (-1 when nothing is loaded).
func (d *ContactDayFilters) Since() int64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if !d.loaded {
		return -1
	}
	return d.seq
}

// Update installs the filters of the days changed up to seq (encoded, by
// day), read after seq was.
func (d *ContactDayFilters) Update(seq int64, changed map[int64][]byte) error {
	fs := make(map[int64]*CustomerFilter, len(changed))
	for day, b := range changed {
		f := &CustomerFilter{}
		if err := f.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("day %d: %w", day, err)
		}
		fs[day] = f
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.days == nil {
		d.days = map[int64]*CustomerFilter{}
	}
	for day, f := range fs {
		d.days[day] = f
	}
	if len(fs) > 0 {
		d.sorted = d.sorted[:0]
		for day := range d.days {
			d.sorted = append(d.sorted, day)
		}
		slices.Sort(d.sorted)
		d.byDay = d.byDay[:0]
		for _, day := range d.sorted {
			d.byDay = append(d.byDay, d.days[day])
		}
	}
	if !d.loaded || seq > d.seq {
		d.seq = seq
	}
	d.loaded = true
	return nil
}

// Days appends to buf the days in [lo, hi] (inclusive) on which the
// customer may have been contacted, in order: every day that holds one of
// its contacts, and about one in a hundred of the others.
func (d *ContactDayFilters) Days(customer string, lo, hi int64, buf []int64) []int64 {
	h := CustomerHash(customer)
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, _ := slices.BinarySearch(d.sorted, lo)
	for ; i < len(d.sorted) && d.sorted[i] <= hi; i++ {
		if d.byDay[i].MayContain(h) {
			buf = append(buf, d.sorted[i])
		}
	}
	return buf
}

// AddToCustomerFilter adds the customers of hashes (CustomerHash values of
// contacts stored on day) to the day's encoded filter old (nil when the
// day has none) and returns the new encoding.
func AddToCustomerFilter(old []byte, hashes []uint64) ([]byte, error) {
	var f CustomerFilter
	if old != nil {
		if err := f.UnmarshalBinary(old); err != nil {
			return nil, err
		}
	}
	for i, h := range hashes {
		f.add(h, len(hashes)-i)
	}
	return f.MarshalBinary()
}
