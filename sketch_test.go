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

func TestSketchCopiesDoNotShare(t *testing.T) {
	// Summary copies a Sketch by value; folding or merging one copy must
	// leave the other's values alone.
	var a Sketch
	for i := range 1500 {
		a.Add(float64(i))
	}
	before := a.Quantiles(0.5, 1)
	b := a
	var c Sketch
	for i := range 2000 {
		c.Add(float64(i) / 7)
	}
	b.Merge(&c)
	if got := a.Quantiles(0.5, 1); got[0] != before[0] || got[1] != before[1] {
		t.Errorf("original median, max after merging into a copy = %v, want %v", got, before)
	}
	if got, want := a.Count(), int64(1500); got != want {
		t.Errorf("original count = %d, want %d", got, want)
	}
}

func TestSketchQuantilesExact(t *testing.T) {
	// Type 7 quantiles of 1..10 (R: quantile(1:10, c(.5, .9)) = 5.5, 9.1).
	var s Sketch
	for i := 10; i >= 1; i-- {
		s.Add(float64(i))
	}
	got := s.Quantiles(0.5, 0.9)
	if math.Abs(got[0]-5.5) > 1e-12 || math.Abs(got[1]-9.1) > 1e-12 {
		t.Errorf("Quantiles(0.5, 0.9) = %v, want [5.5 9.1]", got)
	}
	blob, _ := s.MarshalBinary()
	var d Sketch
	if err := d.UnmarshalBinary(blob); err != nil {
		t.Fatal(err)
	}
	if got := d.Quantiles(0.5, 0.9); math.Abs(got[0]-5.5) > 1e-12 || math.Abs(got[1]-9.1) > 1e-12 {
		t.Errorf("after a round trip: Quantiles(0.5, 0.9) = %v, want [5.5 9.1]", got)
	}
}

func FuzzSketchUnmarshal(f *testing.F) {
	var s Sketch
	for i := range 50 {
		s.Add(float64(i % 7))
	}
	blob, _ := s.MarshalBinary()
	f.Add(blob)
	f.Add([]byte{1, 200})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Sketch
		if err := s.UnmarshalBinary(b); err != nil {
			return
		}
		s.Quantiles(0, 0.5, 1)
		out, _ := s.MarshalBinary()
		var s2 Sketch
		if err := s2.UnmarshalBinary(out); err != nil || s2.Count() != s.Count() {
			t.Fatalf("re-encoding a decoded sketch failed: %v", err)
		}
	})
}
