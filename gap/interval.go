package gap

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Wilson returns the Wilson score interval (Wilson 1927; method 3 of
// Newcombe 1998) for a proportion of met successes out of n at confidence
// conf (0.95 for 95%). Unlike the Wald interval it stays inside [0, 1] and
// keeps its coverage near 0 and 1, where kept promises live. It returns
// NaN, NaN when n ≤ 0 or conf is outside (0, 1).
func Wilson(met, n int64, conf float64) (lo, hi float64) {
	if n <= 0 || met < 0 || met > n || !(conf > 0 && conf < 1) {
		return math.NaN(), math.NaN()
	}
	z := distuv.UnitNormal.Quantile(1 - (1-conf)/2)
	nf := float64(n)
	p := float64(met) / nf
	z2 := z * z
	den := 1 + z2/nf
	center := (p + z2/(2*nf)) / den
	half := z / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	lo, hi = center-half, center+half
	// The bounds are exactly 0 and 1 at the extremes; rounding must not
	// push them off.
	if met == 0 {
		lo = 0
	}
	if met == n {
		hi = 1
	}
	return math.Max(0, lo), math.Min(1, hi)
}

// TInterval returns the Student t interval for a mean at confidence conf,
// from the sample mean, the sample variance (n−1 denominator) and the
// count: mean ± t_{(1+conf)/2, n−1}·√(variance/n). It returns NaN, NaN when
// n < 2, the variance is NaN or negative, or conf is outside (0, 1).
func TInterval(mean, variance float64, n int64, conf float64) (lo, hi float64) {
	if n < 2 || math.IsNaN(variance) || variance < 0 || math.IsNaN(mean) || !(conf > 0 && conf < 1) {
		return math.NaN(), math.NaN()
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-conf)/2)
	half := t * math.Sqrt(variance/float64(n))
	return mean - half, mean + half
}
