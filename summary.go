package saydo

import (
	"math"
	"time"
)

// Summary condenses the evidence of one promise over one UTC day, so gaps
// over any period are computed by merging days instead of rereading raw
// observations. Summaries are a cache: the store can always rebuild them.
type Summary struct {
	Day  time.Time
	N    int64
	Met  int64
	Mean float64 // running mean (Welford)
	M2   float64 // sum of squared deviations from the mean
	Min  float64
	Max  float64
	// Values holds the distribution for percentiles.
	Values Sketch
}

// Add counts one observed value.
func (s *Summary) Add(v float64, met bool) {
	if s.N == 0 || v < s.Min {
		s.Min = v
	}
	if s.N == 0 || v > s.Max {
		s.Max = v
	}
	s.N++
	if met {
		s.Met++
	}
	d := v - s.Mean
	s.Mean += d / float64(s.N)
	s.M2 += d * (v - s.Mean)
	s.Values.Add(v)
}

// Merge adds the evidence of o into s (Chan et al.'s parallel variance).
func (s *Summary) Merge(o *Summary) {
	if o.N == 0 {
		return
	}
	if s.N == 0 {
		vals := s.Values
		*s = *o
		s.Values = vals
		s.Values.Merge(&o.Values)
		return
	}
	n := s.N + o.N
	d := o.Mean - s.Mean
	s.Mean += d * float64(o.N) / float64(n)
	s.M2 += o.M2 + d*d*float64(s.N)*float64(o.N)/float64(n)
	s.N = n
	s.Met += o.Met
	s.Min = math.Min(s.Min, o.Min)
	s.Max = math.Max(s.Max, o.Max)
	s.Values.Merge(&o.Values)
}

// Variance returns the sample variance (n−1 denominator); NaN when n < 2.
func (s *Summary) Variance() float64 {
	if s.N < 2 {
		return math.NaN()
	}
	return s.M2 / float64(s.N-1)
}
