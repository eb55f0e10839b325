package journey

import "gonum.org/v1/gonum/mathext"

// SpikeTest names the test JourneySpike uses.
const SpikeTest = "conditional binomial test of the week's conflicts against the 4 weeks before (equal weekly rates, counts divided by the weeks' dispersion), upper tail p < 0.01, and at least 1.5 times their mean"

// SpikeWeeks is how many complete weeks before the latest the baseline
// of a spike is the mean of.
const SpikeWeeks = 4

// SpikeOf tests a week's count against the weeks before it. With no
// change, each week's count is Poisson with one rate, and the week's share
// of the total of it and the m weeks before is Binomial(total, 1/(m+1)):
// the conditional test of equal Poisson rates, which counts the baseline's
// own noise (a Poisson tail at the baseline's mean takes that mean as
// known: 1.8% of weeks spiked at p < 0.01 on simulated Poisson counts of
// 12 a week). Weekly counts of events vary more than Poisson's (a
// campaign, a holiday); the counts are divided by their dispersion, the
// variance over the mean of the weeks before, at least 1 (quasi-Poisson).
// With 4 weeks that estimate is rough and the test errs on the quiet
// side: on simulated counts of 12 a week with variance twice their mean,
// 2.1% of unchanged weeks spike (6.4% with the Poisson tail), and a week
// at 2.5 times the rate is found in 58% of cases (85% with the Poisson
// tail; 80% when the counts are Poisson; TestSpikeOfCalibration). A spike
// also needs at least 1.5 times the baseline's mean, so a tiny but steady
// rise on large numbers is not one; at least 1 a week is expected. p is
// the upper tail P(X ≥ count).
func SpikeOf(count int64, before []int64) (expected, p float64, spiked bool) {
	var sum int64
	for _, c := range before {
		sum += c
	}
	m := float64(max(1, len(before)))
	expected = float64(sum) / m
	lambda := max(expected, 1)
	if count <= 0 {
		return expected, 1, false
	}
	phi := 1.0
	if len(before) > 1 && expected > 0 {
		var ss float64
		for _, c := range before {
			d := float64(c) - expected
			ss += d * d
		}
		phi = max(1, ss/(m-1)/expected)
	}
	c := float64(count) / phi
	n := (float64(count) + lambda*m) / phi
	p = binomialUpperTail(c, n, 1/(m+1))
	return expected, p, p < 0.01 && float64(count) >= 1.5*lambda
}

// binomialUpperTail is P(X ≥ c) for X ~ Binomial(n, q), through the
// regularised incomplete beta function I_q(c, n − c + 1), which also
// serves counts divided by a dispersion (not whole numbers).
func binomialUpperTail(c, n, q float64) float64 {
	switch {
	case c <= 0:
		return 1
	case c > n:
		return 0
	}
	return mathext.RegIncBeta(c, n-c+1, q)
}
