package gap

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// simulated is one gap series with a known course: per period, the true
// share delivered, and the periods where a new regime starts.
type simulated struct {
	name   string
	share  func(i int) float64 // true share met in period i
	breaks []int               // true regime starts
	want   saydo.Direction     // the current regime's direction
}

// simulate draws a weekly series of k periods: n per period uniform in
// [nLo, nHi], the true share plus overdispersion N(0, tau²) per period,
// met ~ Binomial(n, p). The objective is a share of 0.9, so gap = 0.9 − met/n.
func simulate(r *rand.Rand, s simulated, k, nLo, nHi int, tau float64) []saydo.PeriodGap {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	out := make([]saydo.PeriodGap, k)
	for i := range k {
		n := nLo + r.IntN(nHi-nLo+1)
		p := s.share(i) + tau*r.NormFloat64()
		p = math.Min(1, math.Max(0, p))
		var met int64
		for range n {
			if r.Float64() < p {
				met++
			}
		}
		out[i] = saydo.PeriodGap{Start: start.AddDate(0, 0, 7*i), N: int64(n), Met: met,
			Delivered: float64(met) / float64(n), Gap: 0.9 - float64(met)/float64(n)}
	}
	return out
}

var scenarios = []simulated{
	{"flat", func(int) float64 { return 0.85 }, nil, saydo.Steady},
	{"flat kept", func(int) float64 { return 0.93 }, nil, saydo.Steady},
	{"widening all year", func(i int) float64 { return 0.95 - 0.003*float64(i) }, nil, saydo.Widening},
	{"rose then narrowing", func(i int) float64 {
		if i < 26 {
			return 0.9 - 0.012*float64(i)
		}
		return 0.9 - 0.012*26 + 0.015*float64(i-26)
	}, []int{26}, saydo.Narrowing},
	{"broken, recovered, flat", func(i int) float64 {
		if i < 15 {
			return 0.7
		}
		return 0.92
	}, []int{15}, saydo.Steady},
	{"steady then widening", func(i int) float64 {
		if i < 34 {
			return 0.93
		}
		return 0.93 - 0.01*float64(i-34)
	}, []int{34}, saydo.Widening},
}

// evaluateChangePoints runs every scenario over seeds and reports, per
// scenario, how often the current direction is right, how often a break is
// found where there is none, and how far the last found break lands from
// the true one.
func evaluateChangePoints(t *testing.T, seeds []uint64, tau float64) map[string][3]float64 {
	t.Helper()
	out := map[string][3]float64{}
	for _, s := range scenarios {
		var right, falseBreak, dist, found float64
		for _, seed := range seeds {
			r := rand.New(rand.NewPCG(seed, 0x5a7d0))
			periods := simulate(r, s, 52, 300, 2500, tau)
			tr := TrendOf(saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}, periods)
			if tr.Direction == s.want {
				right++
			}
			if len(s.breaks) == 0 && len(tr.Breaks) > 0 {
				falseBreak++
			}
			if len(s.breaks) > 0 && len(tr.Breaks) > 0 {
				trueStart := periods[s.breaks[len(s.breaks)-1]].Start
				d := math.Abs(tr.Since.Sub(trueStart).Hours() / 24 / 7)
				dist += d
				found++
			}
		}
		n := float64(len(seeds))
		md := math.NaN()
		if found > 0 {
			md = dist / found
		}
		out[s.name] = [3]float64{right / n, falseBreak / n, md}
		t.Logf("%-26s tau=%.3f direction right %5.1f%%  false break %5.1f%%  since off by %.2f periods on average (%d/%d found)",
			s.name, tau, 100*right/n, 100*falseBreak/n, md, int(found), len(seeds))
	}
	return out
}

func seedRange(lo, hi uint64) []uint64 {
	var s []uint64
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

// TestChangePointsSimulated checks the change-point trend on series with
// known courses, on seeds the penalty was not chosen on (it was chosen on
// seeds 1–100; these are 1001–1200). The figures are in docs/statistics.md.
func TestChangePointsSimulated(t *testing.T) {
	seeds := seedRange(1001, 1201)
	if s := os.Getenv("CP_TUNE"); s != "" {
		seeds = seedRange(1, 101)
	}
	if testing.Short() {
		seeds = seeds[:40]
	}
	for _, tau := range []float64{0.01, 0.02} {
		got := evaluateChangePoints(t, seeds, tau)
		for name, g := range got {
			if g[0] < 0.85 {
				t.Errorf("%s (tau %.2f): direction right in %.0f%% of series, want at least 85%%", name, tau, 100*g[0])
			}
			if g[1] > 0.05 {
				t.Errorf("%s (tau %.2f): a break found in %.0f%% of series with none, want at most 5%%", name, tau, 100*g[1])
			}
			if !math.IsNaN(g[2]) && g[2] > 5 {
				t.Errorf("%s (tau %.2f): since lands %.1f periods from the true break on average, want at most 5", name, tau, g[2])
			}
		}
	}
}

// FuzzTrendOf: any series of gaps and counts gives a trend without
// panicking, a known direction, and since within the range.
func FuzzTrendOf(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 200, 200, 200, 200, 9, 9, 9}, uint16(100))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0}, uint16(1))
	f.Add([]byte{255, 0, 255, 0, 255, 0, 255}, uint16(5000))
	f.Fuzz(func(t *testing.T, gaps []byte, n uint16) {
		if len(gaps) > 400 {
			gaps = gaps[:400]
		}
		start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
		periods := make([]saydo.PeriodGap, len(gaps))
		for i, g := range gaps {
			nn := int64(n%2000) + int64(g%7)
			p := saydo.PeriodGap{Start: start.AddDate(0, 0, 7*i), N: nn, Gap: float64(g)/255 - 0.5, Partial: g%13 == 0}
			p.Met = int64(float64(nn) * (1 - float64(g)/255))
			if nn == 0 {
				p.Gap = math.NaN()
			}
			periods[i] = p
		}
		tr := TrendOf(saydo.Objective{Kind: saydo.AtLeast, Value: 1, Share: 0.9}, periods)
		switch tr.Direction {
		case saydo.Widening, saydo.Narrowing, saydo.Steady, saydo.Unknown:
		default:
			t.Fatalf("direction %q", tr.Direction)
		}
		if tr.Direction != saydo.Unknown && (tr.Since.Before(start) || tr.Since.After(start.AddDate(0, 0, 7*len(gaps)))) {
			t.Errorf("since %s outside the range", tr.Since)
		}
	})
}
