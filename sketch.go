package saydo

import (
	"encoding/binary"
	"errors"
	"math"
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

// Sketch is a mergeable summary of a distribution for percentiles. It keeps
// every distinct value with its count while there are at most 1,024 of them
// (exact percentiles, the common case for integer waits and 0/1 flags), and
// otherwise log-spaced buckets whose percentiles are within 0.5% of the true
// value (relative error, as in DDSketch).
type Sketch struct {
	exact   map[float64]int64
	buckets map[int32]int64 // bucketed mode; key sign gives the value's sign
	zeros   int64           // bucketed mode: values that are exactly 0
	n       int64
}

// Count returns the number of values added.
func (s *Sketch) Count() int64 { return s.n }

// Exact reports whether quantiles are exact.
func (s *Sketch) Exact() bool { return s.buckets == nil }

// Add counts one value. NaN is ignored.
func (s *Sketch) Add(v float64) { s.addN(v, 1) }

func (s *Sketch) addN(v float64, c int64) {
	if math.IsNaN(v) || c == 0 {
		return
	}
	s.n += c
	if s.buckets == nil {
		if s.exact == nil {
			s.exact = make(map[float64]int64)
		}
		s.exact[v] += c
		if len(s.exact) > sketchExactLimit {
			s.toBuckets()
		}
		return
	}
	s.addBucket(v, c)
}

func (s *Sketch) addBucket(v float64, c int64) {
	if v == 0 {
		s.zeros += c
		return
	}
	k := int32(math.Ceil(math.Log(math.Abs(v)) / sketchLogGamma))
	// Encode the sign in the key: positive values at k + 1<<30, negatives at
	// −k. For finite float64s |k| < 75,000, so positive keys lie near 1<<30
	// (below it for values under 1) and negative keys near 0: 1<<29 splits them.
	if v > 0 {
		k += 1 << 30
	} else {
		k = -k
	}
	s.buckets[k] += c
}

func (s *Sketch) toBuckets() {
	s.buckets = make(map[int32]int64)
	for v, c := range s.exact {
		s.addBucket(v, c)
	}
	s.exact = nil
}

// Merge adds every value of o into s.
func (s *Sketch) Merge(o *Sketch) {
	if o.n == 0 {
		return
	}
	if o.buckets == nil {
		for v, c := range o.exact {
			s.addN(v, c)
		}
		return
	}
	if s.buckets == nil {
		if s.exact == nil {
			s.exact = map[float64]int64{}
		}
		s.toBuckets()
	}
	for k, c := range o.buckets {
		s.buckets[k] += c
	}
	s.zeros += o.zeros
	s.n += o.n
}

type sketchBin struct {
	v float64
	c int64
}

func (s *Sketch) bins() []sketchBin {
	var out []sketchBin
	if s.buckets == nil {
		out = make([]sketchBin, 0, len(s.exact))
		for v, c := range s.exact {
			out = append(out, sketchBin{v, c})
		}
	} else {
		out = make([]sketchBin, 0, len(s.buckets)+1)
		if s.zeros > 0 {
			out = append(out, sketchBin{0, s.zeros})
		}
		for k, c := range s.buckets {
			var v float64
			if k >= 1<<29 {
				v = 2 * math.Pow(sketchGamma, float64(k-(1<<30))) / (sketchGamma + 1)
			} else {
				v = -2 * math.Pow(sketchGamma, float64(-k)) / (sketchGamma + 1)
			}
			out = append(out, sketchBin{v, c})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].v < out[j].v })
	return out
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
	bins := s.bins()
	// at returns the value of the order statistic with 0-based rank r.
	at := func(r int64) float64 {
		var cum int64
		for _, b := range bins {
			cum += b.c
			if r < cum {
				return b.v
			}
		}
		return bins[len(bins)-1].v
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

// MarshalBinary encodes the sketch compactly for storage.
func (s *Sketch) MarshalBinary() ([]byte, error) {
	var b []byte
	if s.buckets == nil {
		b = append(b, 0)
		b = binary.AppendUvarint(b, uint64(len(s.exact)))
		for v, c := range s.exact {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			b = binary.AppendUvarint(b, uint64(c))
		}
		return b, nil
	}
	b = append(b, 1)
	b = binary.AppendUvarint(b, uint64(s.zeros))
	b = binary.AppendUvarint(b, uint64(len(s.buckets)))
	for k, c := range s.buckets {
		b = binary.AppendVarint(b, int64(k))
		b = binary.AppendUvarint(b, uint64(c))
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
	uv := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, errSketch
		}
		b = b[n:]
		return v, nil
	}
	switch mode {
	case 0:
		cnt, err := uv()
		if err != nil || cnt > uint64(len(b)) {
			return errSketch
		}
		s.exact = make(map[float64]int64, cnt)
		for range cnt {
			if len(b) < 8 {
				return errSketch
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
			c, err := uv()
			if err != nil {
				return err
			}
			s.exact[v] += int64(c)
			s.n += int64(c)
		}
	case 1:
		z, err := uv()
		if err != nil {
			return err
		}
		s.zeros, s.n = int64(z), int64(z)
		cnt, err := uv()
		if err != nil || cnt > uint64(len(b)) {
			return errSketch
		}
		s.buckets = make(map[int32]int64, cnt)
		for range cnt {
			k, n := binary.Varint(b)
			if n <= 0 {
				return errSketch
			}
			b = b[n:]
			c, err := uv()
			if err != nil {
				return err
			}
			s.buckets[int32(k)] += int64(c)
			s.n += int64(c)
		}
	default:
		return errSketch
	}
	return nil
}
