package impact

import (
	"math"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// The want values come from testdata/reference.py (mpmath, 30 digits).
func TestNPSDifference(t *testing.T) {
	tests := []struct {
		name      string
		a, b      NPSCounts
		diff      float64
		lo, hi, p float64
	}{
		{"large gap", NPSCounts{200, 60, 90}, NPSCounts{800, 440, 80}, -60, -72.6972920294, -47.3027079706, 2.01302376959e-20},
		{"small groups", NPSCounts{50, 10, 30}, NPSCounts{60, 30, 10}, -73.3333333333, -102.44342369, -44.2232429763, 7.91356869559e-7},
		{"no difference", NPSCounts{1000, 300, 300}, NPSCounts{1000, 310, 290}, -2, -8.78838272441, 4.78838272441, 0.56363785732},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diff, ci, p := NPSDifference(tt.a, tt.b)
			if !near(diff, tt.diff, 1e-9) || !near(ci[0], tt.lo, 1e-9) || !near(ci[1], tt.hi, 1e-9) {
				t.Errorf("got %.10g (%.10g, %.10g), want %.10g (%.10g, %.10g)", diff, ci[0], ci[1], tt.diff, tt.lo, tt.hi)
			}
			if math.Abs(p-tt.p) > 1e-9*math.Max(tt.p, 1e-12)+1e-15 {
				t.Errorf("p: got %.10g, want %.10g", p, tt.p)
			}
		})
	}
}

func TestNPSDifferenceDegenerate(t *testing.T) {
	diff, ci, p := NPSDifference(NPSCounts{}, NPSCounts{10, 5, 1})
	if !math.IsNaN(diff) || !math.IsNaN(ci[0]) || !math.IsNaN(p) {
		t.Errorf("empty group: got %v %v %v, want NaN", diff, ci, p)
	}
	diff, ci, p = NPSDifference(NPSCounts{10, 10, 0}, NPSCounts{5, 5, 0})
	if diff != 0 || !math.IsNaN(ci[0]) || !math.IsNaN(p) {
		t.Errorf("all promoters: got %v %v %v, want 0 and no interval", diff, ci, p)
	}
}

// Newcombe (1998), Table II, method 10 (hybrid score), to 4 decimals as
// published; the p values and the last case come from testdata/reference.py.
func TestShareDifference(t *testing.T) {
	tests := []struct {
		x1, n1, x2, n2 int64
		lo, hi         float64
		tol            float64
		p              float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339, 5e-5, 0.0080450813682},
		{9, 10, 3, 10, 0.1705, 0.8090, 5e-5, 0.00616989932054},
		{6, 7, 2, 7, 0.0582, 0.8062, 5e-5, 0.0307535612593},
		{5, 56, 0, 29, -0.0381, 0.1926, 5e-5, 0.0971865681706},
		{0, 10, 0, 20, -0.1611, 0.2775, 5e-5, 1},
		{10, 10, 0, 20, 0.6791, 1.0000, 5e-5, 4.32046305783e-8},
		{120, 400, 45, 600, 0.175958089109, 0.275164314826, 1e-9, 5.9542110617e-21},
	}
	for _, tt := range tests {
		d := ShareDifference(tt.x1, tt.n1, tt.x2, tt.n2)
		want := float64(tt.x1)/float64(tt.n1) - float64(tt.x2)/float64(tt.n2)
		if !near(d.Value, want, 1e-12) || math.Abs(d.CI[0]-tt.lo) > tt.tol || math.Abs(d.CI[1]-tt.hi) > tt.tol {
			t.Errorf("%d/%d − %d/%d: got %.6f (%.6f, %.6f), want %.6f (%.4f, %.4f)", tt.x1, tt.n1, tt.x2, tt.n2, d.Value, d.CI[0], d.CI[1], want, tt.lo, tt.hi)
		}
		if math.Abs(d.PValue-tt.p) > 1e-9*tt.p+1e-15 {
			t.Errorf("%d/%d − %d/%d: p got %.10g, want %.10g", tt.x1, tt.n1, tt.x2, tt.n2, d.PValue, tt.p)
		}
	}
	if d := ShareDifference(1, 0, 1, 2); !math.IsNaN(d.Value) || !math.IsNaN(d.CI[0]) {
		t.Errorf("empty group: got %+v, want NaN", d)
	}
}

func TestCompareWithoutChurn(t *testing.T) {
	o := Compare(Group{Customers: 100, Complained: 20}, Group{Customers: 400, Complained: 20}, false)
	if !math.IsNaN(o.ChurnMissed) || !math.IsNaN(o.Churn.Value) {
		t.Errorf("churn without evidence: got %v, %v; want NaN (unknown, not zero)", o.ChurnMissed, o.Churn.Value)
	}
	if !near(o.ComplaintRateMissed, 0.2, 1e-12) || !near(o.ComplaintRateKept, 0.05, 1e-12) {
		t.Errorf("complaint rates: got %v, %v; want 0.2, 0.05", o.ComplaintRateMissed, o.ComplaintRateKept)
	}
	if !math.IsNaN(o.NPSDifference) {
		t.Errorf("NPS without answers: got %v, want NaN", o.NPSDifference)
	}
	o = Compare(Group{Customers: 100}, Group{Customers: 400}, false)
	if !math.IsNaN(o.ComplaintRateMissed) || !math.IsNaN(o.Complaint.Value) {
		t.Errorf("no feedback at all: complaint rate %v, want NaN (unknown, not zero)", o.ComplaintRateMissed)
	}
}

func weeks(gaps []float64, ns []int64) []saydo.PeriodGap {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	out := make([]saydo.PeriodGap, len(gaps))
	for i := range gaps {
		s := start.AddDate(0, 0, 7*i)
		out[i] = saydo.PeriodGap{Start: s, End: s.AddDate(0, 0, 7), N: ns[i], Gap: gaps[i]}
	}
	return out
}

// The want values come from testdata/reference.py (mpmath).
func TestActionEffect(t *testing.T) {
	drop := weeks([]float64{0.20, 0.21, 0.19, 0.22, 0.21, 0.23, 0.20, 0.22, 0.10, 0.09, 0.11, 0.08, 0.10, 0.09, 0.07, 0.08},
		[]int64{500, 520, 480, 510, 530, 490, 505, 515, 500, 495, 510, 520, 480, 500, 505, 490})
	// The action is on Wednesday of week 8: that week is left out, the
	// first period after it is week 9.
	on := drop[8].Start.AddDate(0, 0, 2)
	e := ActionEffect(saydo.PromiseAction{ID: "crews", On: on}, drop)
	if e.PeriodsBefore != 8 || e.PeriodsAfter != 7 {
		t.Errorf("periods: got %d before, %d after; want 8, 7", e.PeriodsBefore, e.PeriodsAfter)
	}
	check := func(name string, got, want float64) {
		t.Helper()
		if !near(got, want, 1e-9) {
			t.Errorf("%s: got %.12g, want %.12g", name, got, want)
		}
	}
	check("change", e.Change, -0.123593395682)
	check("ci lo", e.CI[0], -0.154592670906)
	check("ci hi", e.CI[1], -0.0925941204586)
	check("p", e.PValue, 2.68269186364e-6)
	check("slope change", e.SlopeChange, -0.00592099188723)
	check("before", e.Before, 0.222854313643)
	check("after", e.After, 0.222854313643-0.123593395682)
	if e.Verdict != ActionNarrowed {
		t.Errorf("verdict: got %q, want %q", e.Verdict, ActionNarrowed)
	}

	flat := weeks([]float64{0.10, 0.12, 0.09, 0.11, 0.13, 0.10, 0.12, 0.11, 0.10, 0.12, 0.11, 0.09},
		[]int64{300, 310, 290, 305, 295, 300, 310, 290, 300, 305, 295, 300})
	e = ActionEffect(saydo.PromiseAction{ID: "script", On: flat[6].Start}, flat)
	check("flat change", e.Change, 0.00457187541155)
	check("flat p", e.PValue, 0.782721506014)
	check("flat ci lo", e.CI[0], -0.0323919180012)
	if e.Verdict != ActionNoChange {
		t.Errorf("flat verdict: got %q, want %q", e.Verdict, ActionNoChange)
	}

	// A partial last period is left out: with it cut, only two periods
	// follow an action on period 9.
	cut := append([]saydo.PeriodGap(nil), flat...)
	cut[11].Partial = true
	if e := ActionEffect(saydo.PromiseAction{ID: "cut", On: cut[9].Start}, cut); e.PeriodsAfter != 2 || e.Verdict != ActionTooFewPeriod {
		t.Errorf("partial period: got %d after, %q; want 2 and %q", e.PeriodsAfter, e.Verdict, ActionTooFewPeriod)
	}
	e = ActionEffect(saydo.PromiseAction{ID: "late", On: flat[10].Start}, flat)
	if e.Verdict != ActionTooFewPeriod || !math.IsNaN(e.Change) {
		t.Errorf("two periods after: got %q %v, want %q and NaN", e.Verdict, e.Change, ActionTooFewPeriod)
	}
}

func actionOn(on time.Time) saydo.PromiseAction { return saydo.PromiseAction{ID: "a", On: on} }

func TestActionEffectAutocorrelated(t *testing.T) {
	// Thirty weeks whose misses run in streaks, dropping about 4 points at
	// week 15. Reference values from testdata/reference.py (its_ar1 and
	// its, mpmath): residual autocorrelation 0.682575724908 (corrected);
	// change −0.0449092684218 with 95% interval −0.0930239234597 to
	// 0.00320538661612, p 0.0660786414042 allowing for it, against p
	// 0.000834406061136 ("narrowed") if the weeks were independent.
	gaps := []float64{0.12, 0.14, 0.15, 0.13, 0.11, 0.10, 0.12, 0.15, 0.16, 0.14,
		0.12, 0.11, 0.13, 0.14, 0.12, 0.08, 0.07, 0.09, 0.11, 0.10,
		0.08, 0.06, 0.07, 0.09, 0.10, 0.08, 0.07, 0.08, 0.10, 0.09}
	ns := []int64{400, 410, 390, 405, 395, 400, 410, 390, 400, 405, 395, 400, 410, 390, 400,
		405, 395, 400, 410, 390, 400, 405, 395, 400, 410, 390, 400, 405, 395, 400}
	ps := weeks(gaps, ns)
	e := ActionEffect(actionOn(ps[15].Start), ps)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"autocorrelation", e.Autocorrelation, 0.682575724908},
		{"change", e.Change, -0.0449092684218},
		{"ci lo", e.CI[0], -0.0930239234597},
		{"ci hi", e.CI[1], 0.00320538661612},
		{"p", e.PValue, 0.0660786414042},
	} {
		if !near(c.got, c.want, 1e-9) {
			t.Errorf("%s: got %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
	if e.Verdict != ActionNoChange {
		t.Errorf("verdict %q, want %q: a drop no larger than the streaks is not shown to be the action's", e.Verdict, ActionNoChange)
	}
}

// TestNPSInterval: the Wald interval, and the Wilson bound when every
// answer was alike. Reference values from testdata/reference.py:
// nps_interval(120, 30, 60) = −39.8352141295 to −10.1647858705; wilson(3,
// 3) lower 0.438502968245, so 3 detractors give −100 to 12.299406351;
// 4 promoters 2.02183270908 to 100; 5 passives ±43.4482464783.
func TestNPSInterval(t *testing.T) {
	for _, c := range []struct {
		c      NPSCounts
		lo, hi float64
	}{
		{NPSCounts{N: 120, Promoters: 30, Detractors: 60}, -39.8352141295, -10.1647858705},
		{NPSCounts{N: 3, Detractors: 3}, -100, 12.299406351},
		{NPSCounts{N: 4, Promoters: 4}, 2.02183270908, 100},
		{NPSCounts{N: 5}, -43.4482464783, 43.4482464783},
	} {
		if lo, hi := c.c.Interval(); !near(lo, c.lo, 1e-9) || !near(hi, c.hi, 1e-9) {
			t.Errorf("%+v: got %.12g to %.12g, want %.12g to %.12g", c.c, lo, hi, c.lo, c.hi)
		}
	}
	if lo, hi := (NPSCounts{}).Interval(); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no answers: got %v to %v, want NaN", lo, hi)
	}
}
