package journey_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/saydo/saydo/journey"
)

// The tails come from impact/testdata/reference.py (spike_tail, mpmath).
func TestSpikeOf(t *testing.T) {
	tests := []struct {
		name     string
		count    int64
		before   []int64
		expected float64
		p        float64
		spiked   bool
	}{
		{"doubled", 25, []int64{10, 12, 14, 12}, 12, 0.00311747932102, true},
		{"a busy week", 18, []int64{10, 12, 14, 12}, 12, 0.0959649712648, false},
		// A Poisson tail at the mean (18) gives 5.3e-6: the weeks before
		// vary 4.6 times more than Poisson's, so 40 is not beyond them.
		{"a noisy baseline", 40, []int64{10, 30, 12, 20}, 18, 0.0525300958495, false},
		{"from nothing: at least 1 a week expected", 6, []int64{0, 0, 0, 0}, 0, 0.0063693824, true},
		{"from nothing, five", 5, []int64{0, 0, 0, 0}, 0, 0.01958144, false},
		{"none", 0, []int64{3, 3, 3, 3}, 3, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, p, s := journey.SpikeOf(tt.count, tt.before)
			if e != tt.expected || math.Abs(p-tt.p) > 1e-9*math.Max(tt.p, 1e-12) || s != tt.spiked {
				t.Errorf("got %v, %.12g, %v; want %v, %.12g, %v", e, p, s, tt.expected, tt.p, tt.spiked)
			}
		})
	}
}

// TestSpikeOfCalibration: weeks with no change must spike rarely, whether
// the counts are Poisson or vary twice as much (gamma-Poisson), and a week
// at 2.5 times the rate must still be found. 20,000 seeded weeks each,
// at 12 conflicts a week. The Poisson tail at the baseline's mean that
// SpikeOf used before spiked on 1.76% and 6.40% of these weeks (and found
// 93.5% and 85.2% of the weeks at 2.5×): above its nominal 1%.
func TestSpikeOfCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation skipped in -short mode")
	}
	src := rand.NewPCG(7, 12)
	const weeks, lambda = 20000, 12.0
	draw := func(l, dispersion float64) int64 {
		if dispersion == 1 {
			return int64(distuv.Poisson{Lambda: l, Src: src}.Rand())
		}
		g := distuv.Gamma{Alpha: l / (dispersion - 1), Beta: 1 / (dispersion - 1), Src: src}.Rand()
		return int64(distuv.Poisson{Lambda: g, Src: src}.Rand())
	}
	for _, c := range []struct {
		dispersion, maxFalse, minFound float64
	}{{1, 0.01, 0.7}, {2, 0.035, 0.45}} {
		falseSpikes, found := 0, 0
		for range weeks {
			before := make([]int64, journey.SpikeWeeks)
			for i := range before {
				before[i] = draw(lambda, c.dispersion)
			}
			if _, _, s := journey.SpikeOf(draw(lambda, c.dispersion), before); s {
				falseSpikes++
			}
			if _, _, s := journey.SpikeOf(draw(2.5*lambda, c.dispersion), before); s {
				found++
			}
		}
		fr, fd := float64(falseSpikes)/weeks, float64(found)/weeks
		t.Logf("dispersion %.0f: %.2f%% of unchanged weeks spiked, %.1f%% of weeks at 2.5× found", c.dispersion, 100*fr, 100*fd)
		if fr > c.maxFalse || fd < c.minFound {
			t.Errorf("dispersion %.0f: %.2f%% spiked (want at most %.1f%%), %.1f%% found (want at least %.0f%%)", c.dispersion, 100*fr, 100*c.maxFalse, 100*fd, 100*c.minFound)
		}
	}
}
