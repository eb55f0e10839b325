package gap

import (
	"math"
	"slices"
	"time"

	"github.com/saydo/saydo"
	"gonum.org/v1/gonum/stat/distuv"
)

// TrendTest names the method TrendOf uses, as reported in saydo.Trend.Test.
const TrendTest = "segmented regression of the gap (inverse-variance weights), breaks by optimal partitioning with a 5 ln k penalty per segment; the current regime's slope by weighted least squares t test, k−2 df, its variance allowing for the residuals' lag-1 autocorrelation (AR(1))"

// OverallTest names the whole-range fit in saydo.Trend.Overall.
const OverallTest = "weighted least squares of gap on period index (weights n), t test on slope, k−2 df, allowing for the residuals' lag-1 autocorrelation (AR(1))"

// Alpha is the significance level below which a trend is called widening
// or narrowing.
const Alpha = 0.05

// MinTrendPeriods is the number of complete periods with data a trend
// needs.
const MinTrendPeriods = 3

// MinSegment is the fewest periods a regime can span: a straight line
// through fewer has no residual to judge it by.
const MinSegment = 3

// BreakPenalty is the BIC penalty per segment, in units of ln k: each
// segment adds an intercept, a slope and a break position. Chosen on
// simulated series (gap/trend_test.go, docs/statistics.md).
const BreakPenalty = 5.0

// TrendOf says whether the gap is narrowing or widening now, and since when.
//
// It takes the complete periods with data (partial periods are left out:
// a week of two days sets no direction), keeping each period's index so
// gaps in the data keep their place in time. The series of gaps, weighted
// by n, is split into straight segments where its course changes
// (ChangePoints: segmented regression by optimal partitioning with a BIC
// penalty). The current regime is the last segment: its slope is tested by
// weighted least squares (WeightedSlope), widening when positive with
// p < 0.05, narrowing when negative with p < 0.05, steady otherwise. Since
// is the first day of the segment's first period, or of the range's first
// period when the series has one regime. Overall keeps the straight line
// through every period. With fewer than three periods the direction is
// unknown (slope and p NaN).
//
// Periods are not independent in real operations: a bad week is often
// followed by another (staffing, weather, a backlog). The lag-1
// autocorrelation of the residuals around the segments
// (ResidualAutocorrelation) is measured, and when it is positive the
// segments are searched again with the noise variance it implies, and
// every slope test allows for it (SlopeTest). Autocorrelation is what it
// found (0 when none).
//
// The objective is accepted for symmetry with the rest of the package:
// the gap is already signed so that positive means falling short.
func TrendOf(obj saydo.Objective, periods []saydo.PeriodGap) saydo.Trend {
	var x, y, w, v []float64
	var starts []time.Time
	for i, p := range periods {
		if p.N <= 0 || p.Partial || math.IsNaN(p.Gap) || math.IsInf(p.Gap, 0) {
			continue
		}
		x = append(x, float64(i))
		y = append(y, p.Gap)
		w = append(w, float64(p.N))
		v = append(v, samplingVariance(obj, &p))
		starts = append(starts, p.Start)
	}
	nan := math.NaN()
	tr := saydo.Trend{Direction: saydo.Unknown, Slope: nan, PValue: nan, Test: TrendTest, Periods: len(x),
		Breaks: []time.Time{}, Overall: saydo.TrendFit{Direction: saydo.Unknown, Slope: nan, PValue: nan}}
	if len(x) < MinTrendPeriods {
		return tr
	}
	iw := inverseVariance(y, v)
	breaks := ChangePoints(x, y, iw)
	rho := ResidualAutocorrelation(x, y, iw, breaks)
	if rho > 0 {
		breaks = changePoints(x, y, iw, rho)
		rho = ResidualAutocorrelation(x, y, iw, breaks)
	}
	tr.Autocorrelation = rho
	tr.Overall.Slope, tr.Overall.PValue = SlopeTest(x, y, w, rho)
	tr.Overall.Direction = direction(tr.Overall.Slope, tr.Overall.PValue)
	for _, b := range breaks {
		tr.Breaks = append(tr.Breaks, starts[b])
	}
	first := currentRegime(x, y, iw, breaks, rho)
	tr.Since = periods[0].Start
	if first > 0 {
		tr.Since = starts[first]
	}
	tr.Slope, tr.PValue = SlopeTest(x[first:], y[first:], iw[first:], rho)
	tr.Direction = direction(tr.Slope, tr.PValue)
	return tr
}

// samplingVariance is the variance of a period's gap from sampling alone:
// p(1−p)/n for a share (p shrunk by half an observation so 0% and 100%
// keep some), and the squared standard error, from the t interval, for a
// mean, on the gap's scale.
func samplingVariance(obj saydo.Objective, p *saydo.PeriodGap) float64 {
	n := float64(p.N)
	if !obj.IsMean() {
		q := (float64(p.Met) + 0.5) / (n + 1)
		return q * (1 - q) / n
	}
	if lo, hi := p.CI[0], p.CI[1]; !math.IsNaN(lo) && !math.IsNaN(hi) && hi > lo {
		se := (hi - lo) / (2 * 1.96)
		scale := math.Abs(obj.Value)
		if scale == 0 {
			scale = 1
		}
		return se * se / (scale * scale)
	}
	return math.NaN()
}

// inverseVariance weights each period by 1/(v[i] + τ²): its sampling
// variance plus the period-to-period variation beyond sampling (τ²,
// overdispersion: a week's share moves with staffing, weather and more
// than its binomial noise). τ² is estimated robustly, by moments of the
// second differences of the series: E[d²] = v[i−1] + 4v[i] + v[i+1] + 6τ²
// for a series straight around i, taken at the medians so slopes and a few
// breaks do not inflate it. Unknown sampling variances count as the median
// of the known ones. With weights n alone, a week of 2,500 calls would
// count five times a week of 500 although both vary by τ mostly, and
// ordinary week-to-week variation would read as breaks.
func inverseVariance(y, v []float64) []float64 {
	known := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) && x > 0 {
			known = append(known, x)
		}
	}
	fill := 1.0
	if len(known) > 0 {
		fill = median(known)
	}
	vv := make([]float64, len(v))
	for i, x := range v {
		if math.IsNaN(x) || x <= 0 {
			x = fill
		}
		vv[i] = x
	}
	var d2, vs []float64
	for i := 1; i+1 < len(y); i++ {
		d := y[i-1] - 2*y[i] + y[i+1]
		d2 = append(d2, d*d)
		vs = append(vs, vv[i-1]+4*vv[i]+vv[i+1])
	}
	tau2 := 0.0
	if len(d2) > 0 {
		tau2 = math.Max(0, (median(d2)/0.4549364231195724-median(vs))/6)
	}
	w := make([]float64, len(vv))
	for i := range vv {
		w[i] = 1 / (vv[i] + tau2)
	}
	return w
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return m
}

// CurrentRegime returns the index of the first point of the current
// regime: the last segment, extended back over earlier segments that move
// the same way (each narrowing, or each widening, by its own slope test)
// and no jump the other way between them that is beyond noise (w are
// inverse variances, as TrendOf passes them) and undoes half of what the
// earlier segment moved. A gap that falls fast and then
// slowly is one narrowing regime, not two; a level shift, or a pause, ends
// a regime.
func CurrentRegime(x, y, w []float64, breaks []int) int {
	return currentRegime(x, y, w, breaks, 0)
}

// currentRegime is CurrentRegime with each segment's slope tested for
// noise of lag-1 autocorrelation rho (SlopeTest).
func currentRegime(x, y, w []float64, breaks []int, rho float64) int {
	if len(breaks) == 0 {
		return 0
	}
	bounds := append(append([]int{0}, breaks...), len(x))
	type seg struct {
		dir        saydo.Direction
		start, end float64 // fitted values at the segment's ends
		vs, ve     float64 // the noise variance of its first and last point
	}
	segs := make([]seg, len(bounds)-1)
	for i := range segs {
		lo, hi := bounds[i], bounds[i+1]
		slope, p := SlopeTest(x[lo:hi], y[lo:hi], w[lo:hi], rho)
		a := intercept(x[lo:hi], w[lo:hi], y[lo:hi], slope)
		segs[i] = seg{direction(slope, p), a + slope*x[lo], a + slope*x[hi-1], 1 / w[lo], 1 / w[hi-1]}
	}
	last := len(segs) - 1
	d := segs[last].dir
	i := last
	for ; i > 0 && d != saydo.Steady && segs[i-1].dir == d; i-- {
		// A jump the other way ends it when it is beyond noise (2 standard
		// errors) and undoes at least half of what the earlier segment
		// moved: a new problem, not a one-period blip.
		jump := segs[i].start - segs[i-1].end
		noise := 2 * math.Sqrt(segs[i].vs+segs[i-1].ve)
		moved := math.Abs(segs[i-1].end - segs[i-1].start)
		if d == saydo.Widening {
			jump = -jump
		}
		if jump > noise && jump > moved/2 {
			break
		}
	}
	return bounds[i]
}

// intercept is the weighted least squares intercept for a given slope.
func intercept(x, w, y []float64, slope float64) float64 {
	var sw, swx, swy float64
	for i := range x {
		sw += w[i]
		swx += w[i] * x[i]
		swy += w[i] * y[i]
	}
	if sw == 0 || math.IsNaN(slope) {
		return math.NaN()
	}
	return swy/sw - slope*swx/sw
}

func direction(slope, p float64) saydo.Direction {
	switch {
	case math.IsNaN(p) || p >= Alpha:
		return saydo.Steady
	case slope > 0:
		return saydo.Widening
	case slope < 0:
		return saydo.Narrowing
	}
	return saydo.Steady
}

// ChangePoints splits the series (x[i], y[i]) with weights w[i] (n per
// period) into straight segments of at least MinSegment points and returns
// the index of each segment's first point after the first segment (empty
// when one line fits).
//
// The method is segmented regression by optimal partitioning (Jackson et
// al. 2005; the exact dynamic programme PELT speeds up, Killick et al.
// 2012): it minimises the weighted residual sum of squares of a separate
// line per segment, scaled by the noise variance, plus BreakPenalty·ln k
// per segment (BIC with three parameters per segment). The noise variance
// is estimated robustly from the median of squared second differences, so
// slopes and a few breaks do not inflate it, and variation beyond sampling
// noise (overdispersion) is part of it. Weights are scaled to mean 1.
func ChangePoints(x, y, w []float64) []int { return changePoints(x, y, w, 0) }

// changePoints is ChangePoints for noise of lag-1 autocorrelation rho ≥ 0.
// Second differences of such noise vary by 2σ²(1−ρ)(3−ρ), not 6σ²
// (Var(e[i−1] − 2e[i] + e[i+1]) with Cov(e[i], e[i+j]) = σ²ρ^j), so the
// noise variance they give is scaled back up by 3/((1−ρ)(3−ρ)), and each
// segment's cost is its likelihood under that noise (arCost): without
// them, a slow wander of autocorrelated weeks is read as breaks.
func changePoints(x, y, w []float64, rho float64) []int {
	k := len(x)
	if k < 2*MinSegment || len(y) != k || len(w) != k {
		return nil
	}
	var wsum float64
	for _, v := range w {
		if !(v > 0) {
			return nil
		}
		wsum += v
	}
	ws := make([]float64, k)
	for i := range w {
		ws[i] = w[i] * float64(k) / wsum
	}
	sigma2 := noiseVariance(y, ws)
	if rho > 0 {
		sigma2 *= 3 / ((1 - rho) * (3 - rho))
	}
	// One cost for both: with rho = 0 the transformed rows are the
	// weighted ones, and the cost is the weighted line's residual sum of
	// squares over the noise variance.
	cost := arCost(x, y, ws, rho, sigma2)
	beta := BreakPenalty * math.Log(float64(k))
	f := make([]float64, k+1)
	from := make([]int, k+1)
	for j := 1; j <= k; j++ {
		f[j] = math.Inf(1)
		if j < MinSegment {
			continue
		}
		// The first segment starts at 0; later ones after a whole segment.
		for i := 0; i <= j-MinSegment; i++ {
			if i > 0 && i < MinSegment {
				continue
			}
			if math.IsInf(f[i], 1) && i > 0 {
				continue
			}
			base := f[i]
			if i == 0 {
				base = 0
			}
			if c := base + cost(i, j) + beta; c < f[j] {
				f[j], from[j] = c, i
			}
		}
	}
	var out []int
	for j := k; j > 0; j = from[j] {
		if from[j] > 0 {
			out = append(out, from[j])
		}
		if from[j] == 0 {
			break
		}
	}
	slices.Reverse(out)
	return out
}

// noiseVariance estimates the variance of y[i]·sqrt(w[i]) around a
// piecewise straight course: the median of squared second differences,
// each scaled by its own variance factor, divided by the median of χ²(1)
// (0.4549). A floor keeps an exactly straight series from dividing by zero.
func noiseVariance(y, w []float64) float64 {
	var z2 []float64
	var spread float64
	for i := 1; i+1 < len(y); i++ {
		d := y[i-1] - 2*y[i] + y[i+1]
		v := 1/w[i-1] + 4/w[i] + 1/w[i+1]
		z2 = append(z2, d*d/v)
	}
	for i := range y {
		spread = math.Max(spread, math.Abs(y[i]))
	}
	floor := 1e-12 * math.Max(1e-6, spread*spread)
	if len(z2) == 0 {
		return floor
	}
	return math.Max(median(z2)/0.4549364231195724, floor)
}

// WeightedSlope fits y = a + b·x by weighted least squares and returns the
// slope b and the two-sided p-value of the t test of b = 0 on k−2 degrees of
// freedom, with the error variance estimated from the weighted residuals
// (weights proportional to inverse variances, scale unknown). It returns
// NaN, NaN with fewer than three points, non-positive total weight, or all
// x equal. A perfect fit gives p = 0 for a non-zero slope and p = 1 for a
// zero one. It is SlopeTest for independent errors.
func WeightedSlope(x, y, w []float64) (slope, p float64) { return SlopeTest(x, y, w, 0) }

// SlopeTest is WeightedSlope for errors whose correlation falls as
// rho^|x[i] − x[j]| (first-order autoregressive, rho ≥ 0). The slope is
// the weighted least squares one; its variance is the sandwich
// σ²·Σᵢⱼ aᵢaⱼCᵢⱼ / Sxx², aᵢ = √wᵢ(xᵢ − x̄), with σ² estimated without bias
// under that correlation: the weighted residual sum of squares over
// tr((I − H)C) = k − tr(HC), H the hat matrix of the weighted fit, in
// place of k − 2. With rho = 0 both are the independent test's. The t
// test keeps k−2 degrees of freedom.
func SlopeTest(x, y, w []float64, rho float64) (slope, p float64) {
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
	variance := sse / df / sxx
	if rho > 0 {
		// Σᵢⱼ aᵢaⱼCᵢⱼ, and tr(HC) with the hat matrix
		// Hᵢⱼ = √wᵢ√wⱼ/Σw + aᵢaⱼ/Sxx.
		sq, a := make([]float64, k), make([]float64, k)
		for i := range k {
			sq[i] = math.Sqrt(w[i])
			a[i] = sq[i] * (x[i] - mx)
		}
		f := ARForm(a, a, x, rho)
		trHC := ARForm(sq, sq, x, rho)/sw + f/sxx
		if rest := float64(k) - trHC; rest > 0 {
			variance = sse / rest * f / (sxx * sxx)
		}
	}
	se := math.Sqrt(variance)
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

// ARForm is Σᵢⱼ u[i]·v[j]·ρ^|x[i] − x[j]|, the bilinear form of the
// correlation matrix of AR(1) errors at period indexes x: in one pass when
// x ascends (running sums of u and v discounted by ρ per period), pair by
// pair otherwise.
func ARForm(u, v, x []float64, rho float64) float64 {
	k := len(x)
	ascending := true
	for i := 1; i < k; i++ {
		ascending = ascending && x[i] >= x[i-1]
	}
	var s float64
	if !ascending {
		for i := range k {
			for j := range k {
				s += u[i] * v[j] * math.Pow(rho, math.Abs(x[i]-x[j]))
			}
		}
		return s
	}
	// fu, fv: Σ over i < j of u[i] (v[i]) discounted to x[j].
	var fu, fv float64
	for j := range k {
		if j > 0 {
			d := math.Pow(rho, x[j]-x[j-1])
			fu = (fu + u[j-1]) * d
			fv = (fv + v[j-1]) * d
		}
		s += u[j]*v[j] + v[j]*fu + u[j]*fv
	}
	return s
}

// MaxAutocorrelation caps Autocorrelation: past it a short series cannot
// tell autocorrelation from a trend.
const MaxAutocorrelation = 0.9

// minPeriodsPerParameter: the autocorrelation is measured only with at
// least 4(p+2) periods, p the fit's parameters (16 periods for one
// segment, 24 with one break or for an action's segmented regression, 32
// with two breaks): with fewer, its correction divides by less than
// three quarters and one chance value swings it (a monthly series with a
// break read 0.9).
const minPeriodsPerParameter = 4

// ResidualAutocorrelation is Autocorrelation of the weighted residuals
// (√wᵢ times the residual) around a separate straight line per segment
// (breaks as ChangePoints returns them; 2 parameters a segment).
func ResidualAutocorrelation(x, y, w []float64, breaks []int) float64 {
	r, p := segmentResiduals(x, y, w, breaks)
	return Autocorrelation(x, r, p)
}

// segmentResiduals returns the weighted residuals around a separate
// straight line per segment and the number of parameters fitted (nil, 0
// when a segment cannot be fitted).
func segmentResiduals(x, y, w []float64, breaks []int) ([]float64, int) {
	k := len(x)
	if len(y) != k || len(w) != k {
		return nil, 0
	}
	bounds := append(append([]int{0}, breaks...), k)
	r := make([]float64, k)
	for s := 0; s+1 < len(bounds); s++ {
		lo, hi := bounds[s], bounds[s+1]
		slope, _ := WeightedSlope(x[lo:hi], y[lo:hi], w[lo:hi])
		if math.IsNaN(slope) {
			slope = 0
		}
		a := intercept(x[lo:hi], w[lo:hi], y[lo:hi], slope)
		if math.IsNaN(a) {
			return nil, 0
		}
		for i := lo; i < hi; i++ {
			r[i] = math.Sqrt(w[i]) * (y[i] - a - slope*x[i])
		}
	}
	return r, 2 * (len(bounds) - 1)
}

// Autocorrelation estimates the lag-1 autocorrelation ρ of the errors of a
// fit with p parameters from its weighted residuals r at period indexes x
// (pairs of consecutive periods only, x[i] − x[i−1] = 1), corrected for
// the downward bias of residuals' autocorrelation and bounded to
// [0, MaxAutocorrelation]. Residuals of a fit with p parameters from k
// points have lag-1 autocorrelation about ρ − (p + (p+2)ρ)/k on average:
// Marriott and Pope's (1 + 3ρ)/k for a mean (p = 1), and for a straight
// line (p = 2) what a seeded simulation in trend_test.go checks
// (TestResidualAutocorrelationUnbiased). The estimate is solved back for
// ρ. Negative values count as 0: they make the independent test
// conservative, not wrong. With more parameters the correction falls
// short (simulated at 52 periods and ρ = 0.5: 0.49 with one segment, 0.46
// with three, 0.39 with five; about 0 at ρ = 0 in each case), so it errs
// towards the independent test. It is 0 with fewer than 4(p+2) periods
// (minPeriodsPerParameter).
func Autocorrelation(x, r []float64, p int) float64 {
	return math.Max(0, math.Min(MaxAutocorrelation, autocorrelation(x, r, p)))
}

// autocorrelation is Autocorrelation before its bounds (NaN-free; 0 when
// it cannot be measured).
func autocorrelation(x, r []float64, p int) float64 {
	k := len(r)
	if p <= 0 || len(x) != k {
		return 0
	}
	var num, den float64
	pairs := 0
	for i := range k {
		den += r[i] * r[i]
		if i > 0 && x[i]-x[i-1] == 1 {
			num += r[i] * r[i-1]
			pairs++
		}
	}
	kf, pf := float64(k), float64(p)
	if pairs == 0 || !(den > 0) || kf < minPeriodsPerParameter*(pf+2) {
		return 0
	}
	raw := num / den * kf / float64(pairs)
	return (raw + pf/kf) / (1 - (pf+2)/kf)
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

// arCost returns changePoints' segment cost for noise of lag-1
// autocorrelation rho ≥ 0 (AR(1); 0 for independent periods) and marginal
// variance sigma2: the residual sum of
// squares of the segment's line fitted by generalised least squares,
// through the Prais–Winsten transform (the first period of a segment
// scaled by √(1−ρ²), each later one less ρ^Δ times the one before, Δ
// periods apart, and scaled to the same innovation variance), over the
// innovations' variance σ²(1−ρ²): the log-likelihood of the segment under
// that noise, which an independent cost overstates for a slow wander. The
// rows are kept as prefix sums, so a segment costs O(1).
func arCost(x, y, ws []float64, rho, sigma2 float64) func(i, j int) float64 {
	k := len(x)
	x0 := x[0]
	sq := make([]float64, k)
	ys := make([]float64, k)
	xs := make([]float64, k)
	for i := range k {
		sq[i] = math.Sqrt(ws[i])
		ys[i] = sq[i] * y[i]
		xs[i] = sq[i] * (x[i] - x0)
	}
	s1 := math.Sqrt(1 - rho*rho)
	// The rows of periods after a segment's first, as prefix sums of
	// c², d², cd, zc, zd, z² (z the transformed gap, c and d the
	// transformed intercept and slope columns).
	ps := make([][6]float64, k+1)
	for t := range k {
		ps[t+1] = ps[t]
		if t == 0 {
			continue
		}
		r, g := 0.0, s1 // a period not after the one before: a first row
		if d := x[t] - x[t-1]; d > 0 {
			r = math.Pow(rho, d)
			g = math.Sqrt((1 - rho*rho) / (1 - r*r))
		}
		z := g * (ys[t] - r*ys[t-1])
		c := g * (sq[t] - r*sq[t-1])
		d := g * (xs[t] - r*xs[t-1])
		ps[t+1][0] += c * c
		ps[t+1][1] += d * d
		ps[t+1][2] += c * d
		ps[t+1][3] += z * c
		ps[t+1][4] += z * d
		ps[t+1][5] += z * z
	}
	inn := sigma2 * (1 - rho*rho)
	return func(i, j int) float64 {
		var sm [6]float64
		for c := range sm {
			sm[c] = ps[j][c] - ps[i+1][c]
		}
		z, c, d := s1*ys[i], s1*sq[i], s1*xs[i]
		sm[0] += c * c
		sm[1] += d * d
		sm[2] += c * d
		sm[3] += z * c
		sm[4] += z * d
		sm[5] += z * z
		det := sm[0]*sm[1] - sm[2]*sm[2]
		sse := sm[5]
		if det > 1e-12*math.Max(1, sm[0]*sm[1]) {
			a := (sm[3]*sm[1] - sm[4]*sm[2]) / det
			b := (sm[4]*sm[0] - sm[3]*sm[2]) / det
			sse -= a*sm[3] + b*sm[4]
		} else if sm[0] > 0 {
			sse -= sm[3] * sm[3] / sm[0]
		}
		return math.Max(0, sse) / inn
	}
}
