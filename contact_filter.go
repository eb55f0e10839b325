package saydo

import (
	"encoding/binary"
	"errors"
	"math/bits"
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
	nbits := capacity * filterBitsPerKey
	return filterLayer{words: make([]uint64, (nbits+63)/64), cap: capacity}
}

// probe returns the i-th bit index of h in a layer of m bits (double
// hashing, reduced without division).
func probe(h uint64, i int, m uint64) uint64 {
	g := h + uint64(i)*(bits.RotateLeft64(h, 32)|1)
	hi, _ := bits.Mul64(g, m)
	return hi
}

func (l *filterLayer) has(h uint64) bool {
	m := uint64(len(l.words)) * 64
	for i := range filterProbes {
		b := probe(h, i, m)
		if l.words[b/64]&(1<<(b%64)) == 0 {
			return false
		}
	}
	return true
}

func (l *filterLayer) add(h uint64) {
	m := uint64(len(l.words)) * 64
	for i := range filterProbes {
		b := probe(h, i, m)
		l.words[b/64] |= 1 << (b % 64)
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
func (f *CustomerFilter) Add(h uint64) {
	if f.MayContain(h) {
		return
	}
	if n := len(f.layers); n == 0 || f.layers[n-1].n >= f.layers[n-1].cap {
		c := filterFirstCap
		if n > 0 {
			c = f.layers[n-1].cap * filterGrowth
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
		if !ok1 || !ok2 || !ok3 || c < 1 || c > 1<<32 || n > c || nw != (c*filterBitsPerKey+63)/64 || len(b) < 8*nw {
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
