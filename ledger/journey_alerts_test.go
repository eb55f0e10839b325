package ledger_test

import (
	"math"
	"testing"

	"github.com/saydo/saydo/ledger"
)

// The Poisson tails come from impact/testdata/reference.py (mpmath).
func TestSpikeOf(t *testing.T) {
	tests := []struct {
		name     string
		count    int64
		before   []int64
		expected float64
		p        float64
		spiked   bool
	}{
		{"doubled", 25, []int64{10, 12, 14, 12}, 12, 0.000685633201388, true},
		{"a busy week", 18, []int64{10, 12, 14, 12}, 12, 0.062966296774, false},
		{"from nothing: at least 1 a week expected", 5, []int64{0, 0, 0, 0}, 0, 0.00365984682734, true},
		{"none", 0, []int64{3, 3, 3, 3}, 3, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, p, s := ledger.SpikeOf(tt.count, tt.before)
			if e != tt.expected || math.Abs(p-tt.p) > 1e-9*math.Max(tt.p, 1e-12) || s != tt.spiked {
				t.Errorf("got %v, %.12g, %v; want %v, %.12g, %v", e, p, s, tt.expected, tt.p, tt.spiked)
			}
		})
	}
}
