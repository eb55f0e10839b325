package saydo

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"sort"
)

// sketchExactLimit is how many distinct values a Sketch keeps exactly before
// it switches to relative-error buckets.
const sketchExactLimit = 1024

// sketchAlpha is the relative accuracy of quantiles once a Sketch has more
// distinct values than sketchExactLimit (a DDSketch-style log histogram).
const sketchAlpha = 0.005

var sketchGamma = (1 + sketchAlpha) / (1 - sketchAlpha)
var sketchLogGamma = math.Log(sketchGamma)

// pendingLimit is how many added values wait unsorted before they are
// folded into the sorted bins.
const pendingLimit = 2048

// Sketch is a mergeable summary of a distribution for percentiles. It keeps
// every distinct value with its count while there are at most 1,024 of them
// (exact percentiles, the common case for integer waits and 0/1 flags), and
// otherwise log-spaced buckets whose percentiles are within 0.5% of the true
// value (relative error, as in DDSketch).
//
// Bins are kept as parallel sorted slices, so merging two sketches is a
// linear merge and decoding one allocates two slices: the gap report merges
// thousands of day sketches per request.
type Sketch struct {
	vals     []float64 // sorted distinct values (bucket representatives when bucketed)
	cnts     []int64   // count per value
	pending  []float64 // added, not yet folded into vals
	bucketed bool
	n        int64
}

// Count returns the number of values added.
func (s *Sketch) Count() int64 { return s.n }

// Exact reports whether quantiles are exact.
func (s *Sketch) Exact() bool { s.fold(); return !s.bucketed }

// Add counts one value. NaN is ignored.
func (s *Sketch) Add(v float64) {
	if math.IsNaN(v) {
		return
	}
	s.n++
	s.pending = append(s.pending, v)
	if len(s.pending) >= pendingLimit {
		s.fold()
	}
}

// bucket maps v to its bucket's representative value: a monotone function,
// so sorted values stay sorted.
func bucket(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) {
		return v
	}
	k := math.Ceil(math.Log(math.Abs(v)) / sketchLogGamma)
	r := 2 * math.Pow(sketchGamma, k) / (sketchGamma + 1)
	if v < 0 {
		return -r
	}
	return r
}

// fold sorts the pending values into the bins.
func (s *Sketch) fold() {
	if len(s.pending) == 0 {
		return
	}
	// Sketches are copied by value inside Summary: never write to a
	// slice another copy may hold.
	p := slices.Clone(s.pending)
	s.pending = nil
	if s.bucketed {
		for i, v := range p {
			p[i] = bucket(v)
		}
	}
	slices.Sort(p)
	vals := make([]float64, 0, len(p))
	cnts := make([]int64, 0, len(p))
	for _, v := range p {
		if n := len(vals); n > 0 && vals[n-1] == v {
			cnts[n-1]++
			continue
		}
		vals = append(vals, v)
		cnts = append(cnts, 1)
	}
	s.mergeBins(vals, cnts)
}

// mergeBins merges sorted bins into s's, switching to buckets when there
// are too many distinct values.
func (s *Sketch) mergeBins(vals []float64, cnts []int64) {
	if len(s.vals) == 0 {
		s.vals, s.cnts = slices.Clone(vals), slices.Clone(cnts)
	} else {
		mv := make([]float64, 0, len(s.vals)+len(vals))
		mc := make([]int64, 0, len(s.vals)+len(vals))
		i, j := 0, 0
		for i < len(s.vals) || j < len(vals) {
			switch {
			case j == len(vals) || (i < len(s.vals) && s.vals[i] < vals[j]):
				mv, mc = append(mv, s.vals[i]), append(mc, s.cnts[i])
				i++
			case i == len(s.vals) || vals[j] < s.vals[i]:
				mv, mc = append(mv, vals[j]), append(mc, cnts[j])
				j++
			default:
				mv, mc = append(mv, vals[j]), append(mc, s.cnts[i]+cnts[j])
				i, j = i+1, j+1
			}
		}
		s.vals, s.cnts = mv, mc
	}
	if !s.bucketed && len(s.vals) > sketchExactLimit {
		s.toBuckets()
	}
}

// toBuckets rounds every bin to its bucket and combines equal neighbours,
// into new slices (a copy of the sketch may share the old ones).
func (s *Sketch) toBuckets() {
	s.bucketed = true
	vals := make([]float64, len(s.vals))
	for i, v := range s.vals {
		vals[i] = bucket(v)
	}
	s.vals, s.cnts = combine(vals, slices.Clone(s.cnts))
}

// Merge adds every value of o into s.
func (s *Sketch) Merge(o *Sketch) {
	if o.n == 0 {
		return
	}
	s.fold()
	o.fold()
	if o.bucketed && !s.bucketed {
		s.toBuckets()
	}
	vals, cnts := o.vals, o.cnts
	if s.bucketed && !o.bucketed {
		vals = make([]float64, len(o.vals))
		for i, v := range o.vals {
			vals[i] = bucket(v)
		}
		// Rounding is monotone but makes equal neighbours: combine them.
		vals, cnts = combine(vals, slices.Clone(o.cnts))
	}
	s.n += o.n
	s.mergeBins(vals, cnts)
}

func combine(vals []float64, cnts []int64) ([]float64, []int64) {
	out := 0
	for i, v := range vals {
		if out > 0 && vals[out-1] == v {
			cnts[out-1] += cnts[i]
			continue
		}
		vals[out], cnts[out] = v, cnts[i]
		out++
	}
	return vals[:out], cnts[:out]
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1), interpolating linearly
// between order statistics (Hyndman & Fan type 7, as R and NumPy do by
// default); NaN when the sketch is empty.
func (s *Sketch) Quantile(q float64) float64 {
	return s.Quantiles(q)[0]
}

// Quantiles returns several quantiles in one pass over the sorted values.
func (s *Sketch) Quantiles(qs ...float64) []float64 {
	out := make([]float64, len(qs))
	if s.n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	s.fold()
	cum := make([]int64, len(s.cnts))
	var c int64
	for i, n := range s.cnts {
		c += n
		cum[i] = c
	}
	// at returns the value of the order statistic with 0-based rank r.
	at := func(r int64) float64 {
		i := sort.Search(len(cum), func(i int) bool { return cum[i] > r })
		if i == len(cum) {
			i--
		}
		return s.vals[i]
	}
	for i, q := range qs {
		q = math.Max(0, math.Min(1, q))
		h := q * float64(s.n-1)
		lo := int64(math.Floor(h))
		vlo := at(lo)
		if float64(lo) == h {
			out[i] = vlo
			continue
		}
		vhi := at(lo + 1)
		out[i] = vlo + (h-float64(lo))*(vhi-vlo)
	}
	return out
}

// MarshalBinary encodes the sketch compactly for storage: a mode byte (0
// exact, 1 bucketed), the number of bins, then each bin's value (8 bytes)
// and count (uvarint), values ascending.
func (s *Sketch) MarshalBinary() ([]byte, error) {
	s.fold()
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(s.vals)*10)
	if s.bucketed {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(s.vals)))
	for i, v := range s.vals {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		b = binary.AppendUvarint(b, uint64(s.cnts[i]))
	}
	return b, nil
}

var errSketch = errors.New("sketch: corrupt encoding")

// UnmarshalBinary decodes what MarshalBinary encodes.
func (s *Sketch) UnmarshalBinary(b []byte) error {
	*s = Sketch{}
	if len(b) == 0 {
		return nil
	}
	mode, b := b[0], b[1:]
	if mode > 1 {
		return errSketch
	}
	s.bucketed = mode == 1
	cnt, k := binary.Uvarint(b)
	if k <= 0 || cnt > uint64(len(b))/9 {
		return errSketch
	}
	b = b[k:]
	s.vals = make([]float64, 0, cnt)
	s.cnts = make([]int64, 0, cnt)
	for range cnt {
		if len(b) < 9 {
			return errSketch
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(b))
		c, k := binary.Uvarint(b[8:])
		if k <= 0 || c == 0 || math.IsNaN(v) || (len(s.vals) > 0 && v <= s.vals[len(s.vals)-1]) {
			return errSketch
		}
		b = b[8+k:]
		s.vals = append(s.vals, v)
		s.cnts = append(s.cnts, int64(c))
		s.n += int64(c)
	}
	return nil
}
