package impact

import (
	"math"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ActionTest names the model ActionEffect fits.
const ActionTest = "interrupted time series: segmented weighted least squares (weights n) of gap on period, level and slope change at the action, t test on the level change, k−4 df, its variance allowing for the residuals' lag-1 autocorrelation (AR(1))"

// MinActionPeriods is how many periods with data an action needs on each
// side to be assessed.
const MinActionPeriods = 3

// Verdicts of an action.
const (
	ActionNarrowed     = "narrowed"
	ActionWidened      = "widened"
	ActionNoChange     = "no measurable change"
	ActionTooFewPeriod = "not enough periods"
)

// ActionEffect estimates how a promise's gap changed at an action, by
// segmented regression (an interrupted time series; Wagner et al. 2002):
//
//	gap_i = b0 + b1·t_i + b2·D_i + b3·(t_i − t0)·D_i + e_i
//
// where t_i is the period's index, D_i is 1 for periods starting on or
// after the action's day and t0 the index of the first of them. The fit
// is weighted least squares with weights n (a period's gap varies as 1/n)
// and the residual variance is estimated from the data, as the trend does.
// The period that contains the action's day is left out: it mixes before
// and after. b2 is the level change: the gap of the first period after the
// action minus what the trend before it predicts for that period; its 95%
// interval and p value come from a t distribution on k − 4 degrees of
// freedom, k the periods with data. Periods without data, partial ones
// (the evidence stops before their end) and those with a gap that is not
// finite are left out.
//
// It needs MinActionPeriods periods with data on each side; otherwise
// the figures are NaN and the verdict says so.
func ActionEffect(a saydo.PromiseAction, periods []saydo.PeriodGap) saydo.ActionEffect {
	nan := math.NaN()
	out := saydo.ActionEffect{ID: a.ID, What: a.What, By: a.By, On: a.On.Format(time.DateOnly),
		Before: nan, After: nan, Change: nan, CI: [2]float64{nan, nan}, PValue: nan, SlopeChange: nan,
		Test: ActionTest, Verdict: ActionTooFewPeriod}
	var x, d, y, w []float64
	t0 := -1
	for i, p := range periods {
		after := !p.Start.Before(a.On)
		if !after && p.End.After(a.On) {
			continue // the period of the action itself
		}
		if after && t0 < 0 {
			t0 = i
		}
		if p.N <= 0 || p.Partial || math.IsNaN(p.Gap) || math.IsInf(p.Gap, 0) {
			continue
		}
		x = append(x, float64(i))
		y = append(y, p.Gap)
		w = append(w, float64(p.N))
		if after {
			d = append(d, 1)
			out.PeriodsAfter++
		} else {
			d = append(d, 0)
			out.PeriodsBefore++
		}
	}
	if out.PeriodsBefore < MinActionPeriods || out.PeriodsAfter < MinActionPeriods {
		return out
	}
	k := len(y)
	X := mat.NewDense(k, 4, nil)
	for i := range k {
		X.Set(i, 0, 1)
		X.Set(i, 1, x[i])
		X.Set(i, 2, d[i])
		X.Set(i, 3, (x[i]-float64(t0))*d[i])
	}
	b, cov, rho, ok := wls(X, y, w, x)
	if !ok {
		return out
	}
	out.Autocorrelation = rho
	out.Change = b[2]
	out.SlopeChange = b[3]
	out.Before = b[0] + b[1]*float64(t0)
	out.After = out.Before + b[2]
	se := math.Sqrt(cov.At(2, 2))
	df := float64(k - 4)
	if !(se > 0) || df < 1 {
		out.Verdict = ActionNoChange
		if se == 0 && b[2] != 0 {
			// A perfect fit: the change is exact.
			out.CI = [2]float64{b[2], b[2]}
			out.PValue = 0
			out.Verdict = verdict(b[2], 0)
		}
		return out
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	q := t.Quantile(0.975)
	out.CI = [2]float64{b[2] - q*se, b[2] + q*se}
	out.PValue = 2 * t.Survival(math.Abs(b[2])/se)
	out.Verdict = verdict(b[2], out.PValue)
	return out
}

func verdict(change, p float64) string {
	switch {
	case math.IsNaN(p) || p >= 0.05:
		return ActionNoChange
	case change < 0:
		return ActionNarrowed
	case change > 0:
		return ActionWidened
	}
	return ActionNoChange
}

// wls fits y = Xb by weighted least squares and returns b and its
// covariance σ²(XᵀWX)⁻¹, σ² the weighted residual variance on k − p
// degrees of freedom (weights normalised to mean 1, so σ² is on the scale
// of a period of average size). When the residuals are autocorrelated
// (gap.Autocorrelation over the period indexes t: consecutive periods
// follow each other), the errors are taken as correlated ρ^|tᵢ − tⱼ| and
// the covariance is the sandwich σ²(ZᵀZ)⁻¹ZᵀCZ(ZᵀZ)⁻¹, Z = W^½X, with σ²
// the weighted residual sum of squares over tr((I − H)C), H = Z(ZᵀZ)⁻¹Zᵀ:
// unbiased under that correlation, and the independent estimate when ρ
// is 0. ok is false when XᵀWX is singular.
func wls(X *mat.Dense, y, w, t []float64) (b []float64, cov *mat.Dense, rho float64, ok bool) {
	k, p := X.Dims()
	var mean float64
	for _, v := range w {
		mean += v
	}
	mean /= float64(k)
	Z := mat.NewDense(k, p, nil)
	zy := make([]float64, k)
	for i, v := range w {
		s := math.Sqrt(v / mean)
		for j := range p {
			Z.Set(i, j, s*X.At(i, j))
		}
		zy[i] = s * y[i]
	}
	var ztz, inv mat.Dense
	ztz.Mul(Z.T(), Z)
	if err := inv.Inverse(&ztz); err != nil {
		return nil, nil, 0, false
	}
	var zty, bv mat.VecDense
	zty.MulVec(Z.T(), mat.NewVecDense(k, zy))
	bv.MulVec(&inv, &zty)
	b = make([]float64, p)
	for i := range p {
		b[i] = bv.AtVec(i)
	}
	if k <= p {
		return b, nil, 0, false
	}
	r := make([]float64, k) // weighted residuals
	var rss float64
	for i := range k {
		var fit float64
		for j := range p {
			fit += Z.At(i, j) * b[j]
		}
		r[i] = zy[i] - fit
		rss += r[i] * r[i]
	}
	rho = gap.Autocorrelation(t, r, p)
	cov = mat.NewDense(p, p, nil)
	if rho == 0 {
		cov.Scale(rss/float64(k-p), &inv)
		return b, cov, 0, true
	}
	// M = ZᵀCZ, column by column; tr(HC) = tr((ZᵀZ)⁻¹M).
	cols := make([][]float64, p)
	for j := range p {
		cols[j] = mat.Col(nil, j, Z)
	}
	M := mat.NewDense(p, p, nil)
	for a := range p {
		for c := range p {
			M.Set(a, c, gap.ARForm(cols[a], cols[c], t, rho))
		}
	}
	var trHC float64
	for a := range p {
		for c := range p {
			trHC += inv.At(a, c) * M.At(c, a)
		}
	}
	rest := float64(k) - trHC
	if !(rest > 0) {
		cov.Scale(rss/float64(k-p), &inv)
		return b, cov, 0, true
	}
	var left mat.Dense
	left.Mul(&inv, M)
	cov.Mul(&left, &inv)
	cov.Scale(rss/rest, cov)
	return b, cov, rho, true
}
