package saydo

import (
	"math"
	"time"
)

// Summary condenses the evidence of one promise over one UTC day, so gaps
// over any period are computed by merging days instead of rereading raw
// observations. Summaries are a cache: the store can always rebuild them.
type Summary struct {
	Day time.Time
	// N counts experiences: single observations plus the n of
	// pre-aggregated rows.
	N   int64
	Met int64
	// Mean, M2, Min and Max describe the N − Counted experiences whose
	// values are known (single observations and rows with a mean).
	Mean float64 // running mean (Welford)
	M2   float64 // sum of squared deviations from the mean
	Min  float64
	Max  float64
	// Values holds the distribution of single observations for
	// percentiles; pre-aggregated rows add nothing to it.
	Values Sketch
	// Counted is how many of N are known only by a count (rows with n and
	// met or missed): they have no value, so no mean.
	Counted int64
	// Pooled is how many of N came from pre-aggregated rows; a period
	// holding any is complete (the source counted the whole period).
	Pooled int64
}

// Valued returns how many experiences have a known value (N − Counted):
// the n of the mean and variance.
func (s *Summary) Valued() int64 { return s.N - s.Counted }

// AddCounted counts a pre-aggregated row of n experiences of which met
// kept the threshold, as the source counted them.
func (s *Summary) AddCounted(n, met int64) {
	s.N += n
	s.Met += met
	s.Counted += n
	s.Pooled += n
}

// AddPooled counts a pre-aggregated row of n experiences with their mean
// and standard deviation (NaN when the source gives none: the spread is
// then taken as zero within the row). met counts those on the right side
// of a mean objective's target (all or none, from the row's mean).
func (s *Summary) AddPooled(n int64, mean, sd float64, met int64) {
	if n <= 0 {
		return
	}
	m2 := 0.0
	if !math.IsNaN(sd) && n > 1 {
		m2 = sd * sd * float64(n-1)
	}
	o := Summary{N: n, Met: met, Mean: mean, M2: m2, Min: mean, Max: mean, Pooled: n}
	s.Merge(&o)
}

// Add counts one observed value.
func (s *Summary) Add(v float64, met bool) {
	s.addValue(v, met)
	s.Values.Add(v)
}

// addValue is Add without the percentile sketch.
func (s *Summary) addValue(v float64, met bool) {
	first := s.Valued() == 0
	if first || v < s.Min {
		s.Min = v
	}
	if first || v > s.Max {
		s.Max = v
	}
	if first {
		s.Mean, s.M2 = 0, 0
	}
	s.N++
	if met {
		s.Met++
	}
	d := v - s.Mean
	s.Mean += d / float64(s.Valued())
	s.M2 += d * (v - s.Mean)
}

// AddObservation counts one observation toward an objective: a single
// value, or a pre-aggregated row. A row of counts (n, met) counts toward
// threshold objectives only, a row with a mean toward mean objectives only
// (the other kind cannot be judged from it); it reports whether o counted.
// With sketch false, single values are not added to the percentile sketch
// (per-segment summaries need none).
func (s *Summary) AddObservation(o *Observation, obj Objective, sketch bool) bool {
	switch {
	case o.Count <= 0:
		if sketch {
			s.Add(o.Value, obj.Meets(o.Value))
		} else {
			s.addValue(o.Value, obj.Meets(o.Value))
		}
	case o.Met >= 0:
		if obj.IsMean() {
			return false
		}
		s.AddCounted(o.Count, o.Met)
	default:
		if !obj.IsMean() {
			return false
		}
		var met int64
		if obj.Meets(o.Value) {
			met = o.Count
		}
		s.AddPooled(o.Count, o.Value, o.SD, met)
	}
	return true
}

// Merge adds the evidence of o into s (Chan et al.'s parallel variance).
func (s *Summary) Merge(o *Summary) {
	if o.N == 0 {
		return
	}
	if s.N == 0 {
		vals, day := s.Values, s.Day
		*s = *o
		s.Values = vals
		s.Values.Merge(&o.Values)
		if !day.IsZero() {
			s.Day = day
		}
		return
	}
	na, nb := s.Valued(), o.Valued()
	switch {
	case nb == 0:
	case na == 0:
		s.Mean, s.M2, s.Min, s.Max = o.Mean, o.M2, o.Min, o.Max
	default:
		n := na + nb
		d := o.Mean - s.Mean
		s.Mean += d * float64(nb) / float64(n)
		s.M2 += o.M2 + d*d*float64(na)*float64(nb)/float64(n)
		s.Min = math.Min(s.Min, o.Min)
		s.Max = math.Max(s.Max, o.Max)
	}
	s.N += o.N
	s.Met += o.Met
	s.Counted += o.Counted
	s.Pooled += o.Pooled
	s.Values.Merge(&o.Values)
}

// Variance returns the sample variance of the valued experiences (n−1
// denominator); NaN when fewer than 2 have values.
func (s *Summary) Variance() float64 {
	if s.Valued() < 2 {
		return math.NaN()
	}
	return s.M2 / float64(s.Valued()-1)
}
