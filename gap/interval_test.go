package gap

import (
	"math"
	"testing"
)

// within reports whether got is within tol of want; two NaNs agree.
func within(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

func TestWilsonNewcombe(t *testing.T) {
	// Newcombe RG (1998). Two-sided confidence intervals for the single
	// proportion: comparison of seven methods. Statistics in Medicine
	// 17:857–872, Table I, method 3 (score method without continuity
	// correction), printed to 4 decimals. Each was recomputed with the
	// closed form in testdata/reference.py (mpmath), which agrees to the
	// printed digits.
	tests := []struct {
		met, n int64
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
		{29, 29, 0.8830, 1},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.met, tt.n, 0.95)
		if !within(lo, tt.lo, 5e-5) || !within(hi, tt.hi, 5e-5) {
			t.Errorf("Wilson(%d, %d) = %.4f–%.4f, want %.4f–%.4f (Newcombe 1998, Table I)", tt.met, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestWilsonReference(t *testing.T) {
	// Twelve digits from testdata/reference.py (mpmath 1.3.0, closed form,
	// z = √2·erfinv(0.95)); the Go code computes z with gonum and the
	// center ± half-width form, a different route to the same interval.
	tests := []struct {
		met, n int64
		lo, hi float64
	}{
		{81, 263, 0.255288519878, 0.366209576983},
		{15, 148, 0.0623863995307, 0.160487241723},
		{0, 20, 0, 0.161125158053},
		{1, 29, 0.00611321429276, 0.171755218793},
		{18, 20, 0.698966354772, 0.972133518786},
		{10, 20, 0.299298008198, 0.700701991802},
		{20, 20, 0.838874841947, 1},
		{19, 20, 0.763868806553, 0.991118551199},
		{17, 20, 0.639581135259, 0.947631254104},
		{7, 10, 0.396778147461, 0.892208732594},
		{1, 1, 0.206549314377, 1},
		{0, 1, 0, 0.793450685623},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.met, tt.n, 0.95)
		if !within(lo, tt.lo, 1e-10) || !within(hi, tt.hi, 1e-10) {
			t.Errorf("Wilson(%d, %d) = %.12g–%.12g, want %.12g–%.12g", tt.met, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestWilsonEdges(t *testing.T) {
	tests := []struct {
		name   string
		met, n int64
		conf   float64
	}{
		{"no observations", 0, 0, 0.95},
		{"met above n", 3, 2, 0.95},
		{"negative met", -1, 2, 0.95},
		{"confidence 1", 1, 2, 1},
		{"confidence 0", 1, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := Wilson(tt.met, tt.n, tt.conf)
			if !math.IsNaN(lo) || !math.IsNaN(hi) {
				t.Errorf("Wilson(%d, %d, %g) = %g, %g, want NaN, NaN", tt.met, tt.n, tt.conf, lo, hi)
			}
		})
	}
	// The bounds stay in [0, 1] and contain the estimate for large n too.
	for _, n := range []int64{1, 2, 1000, 1_000_000_000} {
		for _, met := range []int64{0, 1, n / 2, n - 1, n} {
			lo, hi := Wilson(met, n, 0.95)
			p := float64(met) / float64(n)
			if lo < 0 || hi > 1 || lo > p || hi < p {
				t.Errorf("Wilson(%d, %d) = %g–%g, want within [0, 1] around %g", met, n, lo, hi, p)
			}
		}
	}
}

func TestTInterval(t *testing.T) {
	tests := []struct {
		name           string
		mean, variance float64
		n              int64
		lo, hi, tol    float64
		source         string
	}{
		{
			// R: t.test(extra ~ group, data = sleep, paired = TRUE) prints
			// "95 percent confidence interval: -2.4598858 -0.7001142" for
			// group 1 − group 2; here group 2 − group 1 (Student 1908,
			// Cushny–Peebles data): differences 1.2 2.4 1.3 1.3 0 1 1.8 0.8
			// 4.6 1.4, mean 1.58, variance 1.512888…
			name: "Student's sleep data", mean: 1.58, variance: 13.616 / 9, n: 10,
			lo: 0.7001142, hi: 2.4598858, tol: 1e-7,
			source: "R sleep example; mpmath 0.700114236723–2.45988576328",
		},
		{
			// NIST/SEMATECH e-Handbook of Statistical Methods, 7.2.2.1
			// "Confidence limits for the mean", ZARR13.DAT: N = 195, mean
			// 9.261460, s = 0.022789, 95% limits 9.258242 and 9.264679
			// (computed there with t = 1.9723, rounded; hence the tolerance).
			name: "NIST ZARR13", mean: 9.261460, variance: 0.022789 * 0.022789, n: 195,
			lo: 9.258242, hi: 9.264679, tol: 2e-6,
			source: "NIST e-Handbook 7.2.2.1",
		},
		{
			// t_{0.975,9} = 2.262157 (any t table, e.g. NIST e-Handbook
			// 1.3.6.7.2): mean 10, s = 3, n = 10 gives 10 ± 2.262157·3/√10.
			name: "t table, 9 df", mean: 10, variance: 9, n: 10,
			lo: 10 - 2.262157*3/math.Sqrt(10), hi: 10 + 2.262157*3/math.Sqrt(10), tol: 1e-6,
			source: "t_{0.975,9} = 2.262157",
		},
		{
			// t_{0.975,29} = 2.045230: mean 50, s = 12, n = 30.
			name: "t table, 29 df", mean: 50, variance: 144, n: 30,
			lo: 50 - 2.045230*12/math.Sqrt(30), hi: 50 + 2.045230*12/math.Sqrt(30), tol: 1e-5,
			source: "t_{0.975,29} = 2.045230",
		},
		{
			// t_{0.975,3} = 3.182446: the mean weeks of gap_test.go, values
			// 3 4 4 5 (mean 4, variance 2/3); mpmath 2.70077173637–5.29922826363.
			name: "four values", mean: 4, variance: 2.0 / 3, n: 4,
			lo: 2.70077173637, hi: 5.29922826363, tol: 1e-10,
			source: "testdata/reference.py",
		},
		{name: "one value", mean: 4, variance: math.NaN(), n: 1, lo: math.NaN(), hi: math.NaN()},
		{name: "no values", mean: math.NaN(), variance: math.NaN(), n: 0, lo: math.NaN(), hi: math.NaN()},
		{name: "zero variance", mean: 4, variance: 0, n: 5, lo: 4, hi: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := TInterval(tt.mean, tt.variance, tt.n, 0.95)
			if !within(lo, tt.lo, tt.tol) || !within(hi, tt.hi, tt.tol) {
				t.Errorf("TInterval(%g, %g, %d) = %.9g–%.9g, want %.9g–%.9g (%s)", tt.mean, tt.variance, tt.n, lo, hi, tt.lo, tt.hi, tt.source)
			}
		})
	}
}
