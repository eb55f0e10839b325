package impact

import (
	"math/rand/v2"
	"testing"
)

// TestNPSDifferenceCoverage simulates survey answers from two groups with
// known promoter and detractor shares and counts how often the 95%
// interval covers the true difference: near 95% with a few hundred answers
// a group; at 30 answers it is a little optimistic, which docs/statistics.md
// says. The seed is fixed, so the test is repeatable.
func TestNPSDifferenceCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	draw := func(n int, p, d float64) NPSCounts {
		c := NPSCounts{N: int64(n)}
		for range n {
			switch x := rng.Float64(); {
			case x < p:
				c.Promoters++
			case x < p+d:
				c.Detractors++
			}
		}
		return c
	}
	const reps = 4000
	truth := 100*(0.20-0.50) - 100*(0.60-0.10) // −30 − 50 = −80
	for _, tt := range []struct {
		n      int
		lo, hi float64
	}{{300, 0.935, 0.962}, {30, 0.90, 0.965}} {
		covered := 0
		for range reps {
			_, ci, _ := NPSDifference(draw(tt.n, 0.20, 0.50), draw(tt.n, 0.60, 0.10))
			if ci[0] <= truth && truth <= ci[1] {
				covered++
			}
		}
		rate := float64(covered) / reps
		t.Logf("n = %d a group: the 95%% interval covered the true difference in %.1f%% of %d samples", tt.n, rate*100, reps)
		if rate < tt.lo || rate > tt.hi {
			t.Errorf("n = %d: coverage %.3f, want in [%.3f, %.3f]", tt.n, rate, tt.lo, tt.hi)
		}
	}
}
