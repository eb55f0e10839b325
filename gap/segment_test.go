package gap

import (
	"math"
	"testing"

	"github.com/saydo/saydo"
)

func TestHolm(t *testing.T) {
	// R 4.3: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2), "holm")
	// [1] 0.040 0.090 0.090 0.025 0.200
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005, 0.2})
	want := []float64{0.04, 0.09, 0.09, 0.025, 0.2}
	for i := range want {
		if !within(got[i], want[i], 1e-12) {
			t.Errorf("Holm[%d] = %v, want %v (all %v)", i, got[i], want[i], got)
		}
	}
	if g := Holm([]float64{math.NaN(), 0.02}); !math.IsNaN(g[0]) || g[1] != 0.02 {
		t.Errorf("Holm with NaN = %v, want [NaN 0.02]", g)
	}
}

func TestShortfallP(t *testing.T) {
	// 60 of 100 met against a share of 0.75: z = (0.6 − 0.75)/√(0.75·0.25/100)
	// = −3.4641016; Φ(z) = 2.66003e-4 (Python: 0.5*math.erfc(3.4641016/math.sqrt(2))).
	sum := saydo.Summary{N: 100, Met: 60}
	obj := saydo.Objective{Kind: saydo.AtLeast, Value: 1, Share: 0.75}
	if got := ShortfallP(obj, &sum); !within(got, 2.66003e-4, 1e-8) {
		t.Errorf("share p = %v, want 2.66003e-4", got)
	}
	// Consistency with the verdict: broken exactly when p < 0.025.
	for met := int64(0); met <= 100; met++ {
		s := saydo.Summary{N: 100, Met: met}
		e := Evaluate(obj, date("2026-01-05"), date("2026-01-12"), &s)
		if broken, p := e.Status == saydo.Broken, ShortfallP(obj, &s); broken != (p < 0.025) {
			t.Errorf("met %d: status %s but p = %v", met, e.Status, p)
		}
	}
	// Mean at least 4.5 from values 4, 4, 5, 3, 4: mean 4, sd 0.7071, t =
	// −1.5811 on 4 df; P(T ≤ t) = 0.0945016 (Python: numerical integral of the t(4) density).
	var m saydo.Summary
	for _, v := range []float64{4, 4, 5, 3, 4} {
		m.Add(v, v >= 4.5)
	}
	if got := ShortfallP(saydo.Objective{Kind: saydo.MeanAtLeast, Value: 4.5}, &m); !within(got, 0.094502, 1e-5) {
		t.Errorf("mean p = %v, want 0.094502", got)
	}
}
