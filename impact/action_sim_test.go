package impact

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestActionEffectCalibration simulates weekly gap series whose share met
// is binomial, with and without a real step at the action: without one the
// test must call a change about 5% of the time (its nominal level), with a
// 5-point drop in most series (about 88% at n = 400 a week, 10 weeks a side). The seed is fixed, so the test is exact and
// repeatable; it fails if the model or its degrees of freedom are wrong
// (an interval too narrow calls changes far more often than 5%).
func TestActionEffectCalibration(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	const series, periods, n = 1000, 20, 400
	simulate := func(step float64) (called, narrowed int) {
		for range series {
			gaps := make([]float64, periods)
			ns := make([]int64, periods)
			for i := range periods {
				p := 0.85
				if i >= periods/2 {
					p += step
				}
				gaps[i] = 0.95 - metShare(rng, p, n)
				ns[i] = n
			}
			ps := weeks(gaps, ns)
			e := ActionEffect(actionOn(ps[periods/2].Start), ps)
			if e.Verdict != ActionNoChange {
				called++
			}
			if e.Verdict == ActionNarrowed {
				narrowed++
			}
		}
		return called, narrowed
	}
	called, _ := simulate(0)
	t.Logf("no effect: change called in %.1f%% of %d series", float64(called)/series*100, series)
	if rate := float64(called) / series; rate < 0.03 || rate > 0.075 {
		t.Errorf("no effect: a change called in %.1f%% of series, want about 5%%", rate*100)
	}
	_, narrowed := simulate(0.05)
	t.Logf("5-point improvement: found in %.1f%% of %d series", float64(narrowed)/series*100, series)
	if rate := float64(narrowed) / series; rate < 0.8 {
		t.Errorf("a 5-point improvement: found in %.1f%% of series, want at least 80%%", rate*100)
	}
}

// TestActionEffectAutocorrelatedCalibration: weeks whose share met
// wanders in streaks (AR(1), lag-1 correlation 0.5, sd 2 points, on
// binomial noise of 400 a week), 30 weeks, no effect at the action.
// With the weeks taken as independent (the code before the correction) a
// change is called in 12.5% of these 1,000 series; allowing for the
// residuals' autocorrelation it must stay under 10.5% (7.8%).
func TestActionEffectAutocorrelatedCalibration(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2026))
	const series, periods, n = 1000, 30, 400
	called := 0
	for range series {
		u := rng.NormFloat64()
		gaps := make([]float64, periods)
		ns := make([]int64, periods)
		for i := range periods {
			if i > 0 {
				u = 0.5*u + math.Sqrt(1-0.25)*rng.NormFloat64()
			}
			gaps[i] = 0.95 - metShare(rng, 0.85+0.02*u, n)
			ns[i] = n
		}
		ps := weeks(gaps, ns)
		if e := ActionEffect(actionOn(ps[periods/2].Start), ps); e.Verdict != ActionNoChange {
			called++
		}
	}
	rate := float64(called) / series
	t.Logf("no effect, autocorrelated weeks: change called in %.1f%% of %d series", 100*rate, series)
	if rate > 0.105 {
		t.Errorf("no effect, autocorrelated weeks: a change called in %.1f%% of series, want under 10.5%%", 100*rate)
	}
}

// metShare draws the share of n observations met, each with probability p.
func metShare(rng *rand.Rand, p float64, n int) float64 {
	met := 0
	for range n {
		if rng.Float64() < p {
			met++
		}
	}
	return float64(met) / float64(n)
}
