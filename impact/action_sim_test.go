package impact

import (
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
				met := 0
				for range n {
					if rng.Float64() < p {
						met++
					}
				}
				gaps[i] = 0.95 - float64(met)/n
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
