package gap

import (
	"math"

	"github.com/saydo/saydo"
	"gonum.org/v1/gonum/stat/distuv"
)

// TrendTest names the test TrendOf uses, as reported in saydo.Trend.Test.
const TrendTest = "weighted least squares of gap on period index (weights n), t test on slope, k−2 df"

// Alpha is the significance level below which a trend is called widening
// or narrowing.
const Alpha = 0.05

// MinTrendPeriods is the number of periods with data a trend needs.
const MinTrendPeriods = 3

// TrendOf tests whether the gap grows or shrinks across periods.
//
// It regresses each period's gap on the period's index in periods (so
// periods without data keep their place in time) by weighted least squares
// with weights n, and tests the slope with a t test on k−2 degrees of
// freedom, k being the number of periods with data, using the residual
// variance estimated from the data. The estimated variance absorbs
// week-to-week variation beyond sampling noise (overdispersion), which a
// Cochran–Armitage test ignores; see docs/statistics.md. The objective is
// accepted for symmetry with the rest of the package: the gap is already
// signed so that positive means falling short, for every objective.
//
// The direction is widening when the slope is positive and p < 0.05,
// narrowing when negative and p < 0.05, steady otherwise, and unknown with
// fewer than three periods with data (slope and p NaN).
func TrendOf(obj saydo.Objective, periods []saydo.PeriodGap) saydo.Trend {
	_ = obj
	var x, y, w []float64
	for i, p := range periods {
		if p.N <= 0 || math.IsNaN(p.Gap) || math.IsInf(p.Gap, 0) {
			continue
		}
		x = append(x, float64(i))
		y = append(y, p.Gap)
		w = append(w, float64(p.N))
	}
	tr := saydo.Trend{Direction: saydo.Unknown, Slope: math.NaN(), PValue: math.NaN(), Test: TrendTest, Periods: len(x)}
	if len(x) < MinTrendPeriods {
		return tr
	}
	tr.Slope, tr.PValue = WeightedSlope(x, y, w)
	switch {
	case math.IsNaN(tr.PValue) || tr.PValue >= Alpha:
		tr.Direction = saydo.Steady
	case tr.Slope > 0:
		tr.Direction = saydo.Widening
	case tr.Slope < 0:
		tr.Direction = saydo.Narrowing
	default:
		tr.Direction = saydo.Steady
	}
	return tr
}

// WeightedSlope fits y = a + b·x by weighted least squares and returns the
// slope b and the two-sided p-value of the t test of b = 0 on k−2 degrees of
// freedom, with the error variance estimated from the weighted residuals
// (weights proportional to inverse variances, scale unknown). It returns
// NaN, NaN with fewer than three points, non-positive total weight, or all
// x equal. A perfect fit gives p = 0 for a non-zero slope and p = 1 for a
// zero one.
func WeightedSlope(x, y, w []float64) (slope, p float64) {
	k := len(x)
	if k < 3 || len(y) != k || len(w) != k {
		return math.NaN(), math.NaN()
	}
	var sw, swx, swy float64
	for i := range k {
		if !(w[i] >= 0) {
			return math.NaN(), math.NaN()
		}
		sw += w[i]
		swx += w[i] * x[i]
		swy += w[i] * y[i]
	}
	if sw <= 0 {
		return math.NaN(), math.NaN()
	}
	mx, my := swx/sw, swy/sw
	var sxx, sxy float64
	for i := range k {
		dx := x[i] - mx
		sxx += w[i] * dx * dx
		sxy += w[i] * dx * (y[i] - my)
	}
	if sxx <= 0 {
		return math.NaN(), math.NaN()
	}
	slope = sxy / sxx
	var sse float64
	for i := range k {
		r := y[i] - my - slope*(x[i]-mx)
		sse += w[i] * r * r
	}
	df := float64(k - 2)
	se := math.Sqrt(sse / df / sxx)
	if se == 0 {
		if slope == 0 {
			return slope, 1
		}
		return slope, 0
	}
	t := math.Abs(slope / se)
	p = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(t)
	return slope, math.Min(1, p)
}

// CochranArmitage is the Cochran–Armitage test for a linear trend in
// proportions met[i]/n[i] across ordered groups scored 0, 1, 2, … (the
// period index). z > 0 means the share met rises with the index; p is
// two-sided, from the normal distribution. It is the statistic of R's
// prop.trend.test (z² is its X-squared).
//
// It assumes every observation is an independent Bernoulli trial with one
// probability per group on the fitted line, so any week-to-week variation
// beyond binomial noise is read as trend; TrendOf does not use it for that
// reason (docs/statistics.md).
func CochranArmitage(met, n []int64) (z, p float64) {
	scores := make([]float64, len(met))
	for i := range scores {
		scores[i] = float64(i)
	}
	return CochranArmitageScores(met, n, scores)
}

// CochranArmitageScores is CochranArmitage with the groups' scores given.
// It returns NaN, NaN when the lengths differ, there are fewer than two
// groups with observations, every observation met or none did, or all
// observations share one score.
func CochranArmitageScores(met, n []int64, scores []float64) (z, p float64) {
	if len(met) != len(n) || len(n) != len(scores) {
		return math.NaN(), math.NaN()
	}
	var total, events, sx float64
	for i := range n {
		if n[i] < 0 || met[i] < 0 || met[i] > n[i] {
			return math.NaN(), math.NaN()
		}
		total += float64(n[i])
		events += float64(met[i])
		sx += float64(n[i]) * scores[i]
	}
	if total == 0 {
		return math.NaN(), math.NaN()
	}
	pbar := events / total
	xbar := sx / total
	var tstat, sxx float64
	for i := range n {
		dx := scores[i] - xbar
		tstat += dx * (float64(met[i]) - float64(n[i])*pbar)
		sxx += float64(n[i]) * dx * dx
	}
	v := pbar * (1 - pbar) * sxx
	if !(v > 0) {
		return math.NaN(), math.NaN()
	}
	z = tstat / math.Sqrt(v)
	return z, 2 * distuv.UnitNormal.Survival(math.Abs(z))
}
