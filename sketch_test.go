package saydo

import (
	"math"
	"testing"
)

func TestSketchBucketedSmallValues(t *testing.T) {
	// Once a sketch switches to buckets, values of either sign and any
	// magnitude must come back within the relative accuracy. Positive
	// values below 1 used to decode as −0 (their key fell below 1<<30).
	tests := []struct {
		name  string
		value func(i int) float64
	}{
		{"positive below 1", func(i int) float64 { return 0.1 + float64(i)/10000 }},
		{"negative above −1", func(i int) float64 { return -0.1 - float64(i)/10000 }},
		{"positive above 1", func(i int) float64 { return 10 + float64(i) }},
		{"negative below −1", func(i int) float64 { return -10 - float64(i) }},
		{"tiny positive", func(i int) float64 { return 1e-300 * float64(i+1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Sketch
			lo, hi := math.Inf(1), math.Inf(-1)
			for i := range 2000 {
				v := tt.value(i)
				s.Add(v)
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			if s.Exact() {
				t.Fatal("sketch still exact, want bucketed")
			}
			for _, c := range []struct{ q, want float64 }{{0, lo}, {1, hi}} {
				got := s.Quantile(c.q)
				if math.Abs(got-c.want) > 2*sketchAlpha*math.Abs(c.want) {
					t.Errorf("Quantile(%g) = %g, want %g within %g%%", c.q, got, c.want, 200*sketchAlpha)
				}
			}
		})
	}
}
