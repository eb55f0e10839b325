package gap

import (
	"math"
	"slices"

	"github.com/saydo/saydo"
	"gonum.org/v1/gonum/stat/distuv"
)

// ShortfallP is the one-sided p-value that the evidence in sum falls short
// of the objective: for a threshold objective, the score test of the share
// met against the objective's share (z = (p̂ − s)/√(s(1−s)/n), the test
// the Wilson interval inverts, so p < 0.025 exactly when the 95% Wilson
// interval lies below s); for a mean objective, the t test of the mean
// against the target on n − 1 degrees of freedom. NaN when it cannot be
// computed (no data; a mean of fewer than two values).
func ShortfallP(obj saydo.Objective, sum *saydo.Summary) float64 {
	if sum.N <= 0 {
		return math.NaN()
	}
	if !obj.IsMean() {
		n, s := float64(sum.N), obj.Share
		ph := float64(sum.Met) / n
		if s >= 1 {
			if ph < 1 {
				return 0
			}
			return 1
		}
		z := (ph - s) / math.Sqrt(s*(1-s)/n)
		return distuv.UnitNormal.CDF(z)
	}
	n := sum.Valued()
	v := sum.Variance()
	if n < 2 || math.IsNaN(v) {
		return math.NaN()
	}
	se := math.Sqrt(v / float64(n))
	if se == 0 {
		if (obj.Kind == saydo.MeanAtLeast && sum.Mean < obj.Value) || (obj.Kind == saydo.MeanAtMost && sum.Mean > obj.Value) {
			return 0
		}
		return 1
	}
	t := (sum.Mean - obj.Value) / se
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}
	if obj.Kind == saydo.MeanAtLeast {
		return dist.CDF(t)
	}
	return dist.Survival(t)
}

// Holm adjusts p-values for testing many hypotheses at once by Holm's
// step-down method (Holm 1979), as R's p.adjust(p, "holm"): sorted
// ascending, the i-th smallest (from 0) is multiplied by m − i, made
// non-decreasing, and capped at 1. It controls the chance of any false
// finding at the level used, without assuming the tests independent. NaN
// p-values stay NaN and do not count toward m.
func Holm(p []float64) []float64 {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	m := len(idx)
	run := 0.0
	for rank, i := range idx {
		adj := math.Min(1, float64(m-rank)*p[i])
		run = math.Max(run, adj)
		out[i] = run
	}
	return out
}
