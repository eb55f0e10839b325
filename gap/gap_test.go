package gap

import (
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// day builds the summary of one day's observations under obj.
func day(obj saydo.Objective, on string, values ...float64) saydo.Summary {
	s := saydo.Summary{Day: date(on)}
	for _, v := range values {
		s.Add(v, obj.Meets(v))
	}
	return s
}

// repeat returns met copies of good followed by n−met copies of bad.
func repeat(n, met int, good, bad float64) []float64 {
	out := make([]float64, 0, n)
	for i := range n {
		if i < met {
			out = append(out, good)
		} else {
			out = append(out, bad)
		}
	}
	return out
}

// want is the expected figures of one period.
type want struct {
	start, end     string
	n, met         int64
	delivered, lo  float64
	hi, gap        float64
	mean, p50, p90 float64
	status         saydo.Status
}

func checkPeriods(t *testing.T, got []saydo.PeriodGap, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d periods, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i]
		if g.Start.Format(time.DateOnly) != w.start || g.End.Format(time.DateOnly) != w.end {
			t.Errorf("period %d: got %s–%s, want %s–%s", i, g.Start.Format(time.DateOnly), g.End.Format(time.DateOnly), w.start, w.end)
		}
		if g.N != w.n || g.Met != w.met || g.Status != w.status {
			t.Errorf("period %d: got n=%d met=%d %s, want n=%d met=%d %s", i, g.N, g.Met, g.Status, w.n, w.met, w.status)
		}
		figures := []struct {
			name      string
			got, want float64
		}{
			{"delivered", g.Delivered, w.delivered}, {"ci lo", g.CI[0], w.lo}, {"ci hi", g.CI[1], w.hi},
			{"gap", g.Gap, w.gap}, {"mean", g.Mean, w.mean}, {"p50", g.P50, w.p50}, {"p90", g.P90, w.p90},
		}
		for _, f := range figures {
			if !within(f.got, f.want, 1e-9) {
				t.Errorf("period %d %s: got %.12g, want %.12g", i, f.name, f.got, f.want)
			}
		}
	}
}

// Expected intervals come from testdata/reference.py (mpmath): Wilson 20/20
// 0.838874841947–1, 19/20 0.763868806553–0.991118551199, 18/20
// 0.698966354772–0.972133518786, 10/20 0.299298008198–0.700701991802, 7/10
// 0.396778147461–0.892208732594; t intervals of 3 4 4 5, 4 5 5 6 and 6 7 7 8:
// mean ± 1.29922826363 (t_{0.975,3} = 3.182446 · √(2/3/4)). Percentiles by
// hand, type 7 (Hyndman & Fan 1996): h = q·(n−1), interpolate between the
// order statistics around h.

func TestComputeThresholdAtMost(t *testing.T) {
	// "We answer within 2 minutes" for 95% of calls; week 1 all in time,
	// week 2 exactly 95% (kept: meeting the share is keeping it), week 3
	// 90% (at risk: Wilson reaches 0.972), week 4 half (broken).
	// Calls in time take 60 s, late ones 180 s.
	p := &saydo.Promise{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds",
		Owner: "marketing", DeliveredBy: []string{"care"}, Stage: "support",
		Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}, Period: saydo.Week}
	o := p.Objective
	days := []saydo.Summary{
		day(o, "2026-01-26", repeat(20, 10, 60, 180)...), // week 4, out of order on purpose
		day(o, "2026-01-05", repeat(10, 10, 60, 180)...),
		day(o, "2026-01-11", repeat(10, 10, 60, 180)...), // Sunday: still week 1
		day(o, "2026-01-12", repeat(20, 19, 60, 180)...), // Monday: week 2
		day(o, "2026-01-19", repeat(10, 9, 60, 180)...),
		day(o, "2026-01-23", repeat(10, 9, 60, 180)...),
	}
	// The metric's evidence runs to the end of week 4 (another promise's
	// rows): the week is complete.
	g := ComputeThrough(p, "", time.Time{}, time.Time{}, date("2026-02-01"), days)
	checkPeriods(t, g.Periods, []want{
		// 20 × 60 s: p50 = p90 = 60.
		{"2026-01-05", "2026-01-12", 20, 20, 1, 0.838874841947, 1, 0.95 - 1, 60, 60, 60, saydo.Kept},
		// 19 × 60, 1 × 180: mean 66; p90 h = 17.1 → 60.
		{"2026-01-12", "2026-01-19", 20, 19, 0.95, 0.763868806553, 0.991118551199, 0, 66, 60, 60, saydo.Kept},
		// 18 × 60, 2 × 180: mean 72; p90 h = 17.1 → 60 + 0.1·120 = 72.
		{"2026-01-19", "2026-01-26", 20, 18, 0.9, 0.698966354772, 0.972133518786, 0.05, 72, 60, 72, saydo.AtRisk},
		// 10 × 60, 10 × 180: mean 120; p50 h = 9.5 → 120; p90 → 180.
		{"2026-01-26", "2026-02-02", 20, 10, 0.5, 0.299298008198, 0.700701991802, 0.45, 120, 120, 180, saydo.Broken},
	})
	if g.Status != saydo.Broken || g.Latest == nil || !g.Latest.Start.Equal(date("2026-01-26")) {
		t.Errorf("status %s, latest %+v; want broken, the week of 2026-01-26", g.Status, g.Latest)
	}
	if g.ID != p.ID || g.Says != p.Says || g.Metric != p.Metric || g.Owner != p.Owner || g.Stage != p.Stage ||
		!reflect.DeepEqual(g.DeliveredBy, p.DeliveredBy) || g.Objective != p.Objective || g.Period != saydo.Week {
		t.Errorf("promise fields not copied: %+v", g)
	}
	if g.Trend.Periods != 4 || g.Trend.Test != TrendTest {
		t.Errorf("trend = %+v, want 4 periods tested with %q", g.Trend, TrendTest)
	}
}

func TestComputeThresholdAtLeast(t *testing.T) {
	// At least 40 (say, km/h of broadband) for 90%: values 50 meet, 30 do
	// not. 18/20 = 0.9 is kept; 7/10 is broken although a 10-sample
	// interval is wide, because Wilson 7/10 tops out at 0.892 < 0.9.
	p := &saydo.Promise{ID: "speed", Objective: saydo.Objective{Kind: saydo.AtLeast, Value: 40, Share: 0.9}, Period: saydo.Day}
	o := p.Objective
	days := []saydo.Summary{
		day(o, "2026-03-01", repeat(20, 18, 50, 30)...),
		day(o, "2026-03-02", repeat(10, 7, 50, 30)...),
		day(o, "2026-03-03", repeat(20, 10, 50, 30)...),
	}
	// The metric's evidence runs to the end of week 4 (another promise's
	// rows): the week is complete.
	g := ComputeThrough(p, "", time.Time{}, time.Time{}, date("2026-02-01"), days)
	checkPeriods(t, g.Periods, []want{
		// 2 × 30, 18 × 50 sorted: mean 48; p50 50; p90 h = 17.1 → 50.
		{"2026-03-01", "2026-03-02", 20, 18, 0.9, 0.698966354772, 0.972133518786, 0, 48, 50, 50, saydo.Kept},
		// 3 × 30, 7 × 50: mean 44; p50 h = 4.5 → 50; p90 50.
		{"2026-03-02", "2026-03-03", 10, 7, 0.7, 0.396778147461, 0.892208732594, 0.2, 44, 50, 50, saydo.Broken},
		// 10 × 30, 10 × 50: mean 40; p50 h = 9.5 → 40; p90 50.
		{"2026-03-03", "2026-03-04", 20, 10, 0.5, 0.299298008198, 0.700701991802, 0.4, 40, 40, 50, saydo.Broken},
	})
}

func TestComputeMeanObjectives(t *testing.T) {
	// Three days of four observations each: 3 4 4 5 (mean 4), 4 5 5 6
	// (mean 5), 6 7 7 8 (mean 7), each with variance 2/3 and a t interval
	// of mean ± 1.29922826363.
	const h = 1.29922826363
	values := [][]float64{{3, 4, 4, 5}, {4, 5, 5, 6}, {6, 7, 7, 8}}
	build := func(o saydo.Objective) []saydo.Summary {
		return []saydo.Summary{
			day(o, "2026-05-01", values[0]...), day(o, "2026-05-02", values[1]...), day(o, "2026-05-03", values[2]...),
		}
	}
	tests := []struct {
		name  string
		obj   saydo.Objective
		wants []want
	}{
		{
			// Mean at most 4.5 (litres per 100 km): gap = (mean − 4.5)/4.5.
			// Day 3's interval starts at 5.70 > 4.5: broken.
			name: "mean_at_most",
			obj:  saydo.Objective{Kind: saydo.MeanAtMost, Value: 4.5},
			wants: []want{
				{"2026-05-01", "2026-05-02", 4, 3, 4, 4 - h, 4 + h, -0.5 / 4.5, 4, 4, 4.7, saydo.Kept},
				{"2026-05-02", "2026-05-03", 4, 1, 5, 5 - h, 5 + h, 0.5 / 4.5, 5, 5, 5.7, saydo.AtRisk},
				{"2026-05-03", "2026-05-04", 4, 0, 7, 7 - h, 7 + h, 2.5 / 4.5, 7, 7, 7.7, saydo.Broken},
			},
		},
		{
			// Mean at least 6: gap = (6 − mean)/6. Day 1's interval ends at
			// 5.30 < 6: broken; day 2 reaches 6.30: at risk.
			name: "mean_at_least",
			obj:  saydo.Objective{Kind: saydo.MeanAtLeast, Value: 6},
			wants: []want{
				{"2026-05-01", "2026-05-02", 4, 0, 4, 4 - h, 4 + h, 2.0 / 6, 4, 4, 4.7, saydo.Broken},
				{"2026-05-02", "2026-05-03", 4, 1, 5, 5 - h, 5 + h, 1.0 / 6, 5, 5, 5.7, saydo.AtRisk},
				{"2026-05-03", "2026-05-04", 4, 4, 7, 7 - h, 7 + h, -1.0 / 6, 7, 7, 7.7, saydo.Kept},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &saydo.Promise{ID: "fuel", Objective: tt.obj, Period: saydo.Day}
			g := Compute(p, "", time.Time{}, time.Time{}, build(tt.obj))
			checkPeriods(t, g.Periods, tt.wants)
		})
	}
}

func TestComputeMeanSingleObservation(t *testing.T) {
	// One observation has no t interval: short of the target is at_risk,
	// never broken; on target is kept.
	tests := []struct {
		name  string
		obj   saydo.Objective
		value float64
		want  saydo.Status
	}{
		{"at most, short", saydo.Objective{Kind: saydo.MeanAtMost, Value: 4.5}, 9, saydo.AtRisk},
		{"at most, on target", saydo.Objective{Kind: saydo.MeanAtMost, Value: 4.5}, 4.5, saydo.Kept},
		{"at least, short", saydo.Objective{Kind: saydo.MeanAtLeast, Value: 40}, 1, saydo.AtRisk},
		{"at least, above", saydo.Objective{Kind: saydo.MeanAtLeast, Value: 40}, 41, saydo.Kept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &saydo.Promise{ID: "x", Objective: tt.obj, Period: saydo.Day}
			g := Compute(p, "", time.Time{}, time.Time{}, []saydo.Summary{day(tt.obj, "2026-05-01", tt.value)})
			if len(g.Periods) != 1 || g.Status != tt.want || !math.IsNaN(g.Periods[0].CI[0]) {
				t.Errorf("got %+v, want one period %s with no interval", g.Periods, tt.want)
			}
		})
	}
}

func TestComputeNegativeAndZeroTargets(t *testing.T) {
	// SPEC.md divides by M; with M < 0 that flips the sign, so the gap is
	// divided by |M| and stays positive when falling short. A target of 0
	// gives the plain difference.
	tests := []struct {
		name   string
		obj    saydo.Objective
		values []float64
		gap    float64
	}{
		{"freezer mean at most −18 °C, at −15", saydo.Objective{Kind: saydo.MeanAtMost, Value: -18}, []float64{-15, -15}, 3.0 / 18},
		{"mean at least −5, at −10", saydo.Objective{Kind: saydo.MeanAtLeast, Value: -5}, []float64{-10, -10}, 1},
		{"mean at most 0, at 2", saydo.Objective{Kind: saydo.MeanAtMost, Value: 0}, []float64{2, 2}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &saydo.Promise{ID: "x", Objective: tt.obj, Period: saydo.Day}
			g := Compute(p, "", time.Time{}, time.Time{}, []saydo.Summary{day(tt.obj, "2026-05-01", tt.values...)})
			if got := g.Periods[0].Gap; !within(got, tt.gap, 1e-12) {
				t.Errorf("gap = %g, want %g", got, tt.gap)
			}
			if g.Status != saydo.Broken {
				t.Errorf("status = %s, want broken (constant values, interval of width 0)", g.Status)
			}
		})
	}
}

func TestComputeNoDataPeriods(t *testing.T) {
	// Weeks 2 and 4 have no data; to = 2026-02-09 adds an empty week 5.
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	p := &saydo.Promise{ID: "x", Objective: o, Period: saydo.Week}
	days := []saydo.Summary{
		day(o, "2026-01-06", repeat(20, 20, 60, 180)...),
		day(o, "2026-01-20", repeat(20, 10, 60, 180)...),
		day(o, "2026-01-28", repeat(20, 19, 60, 180)...),
		{Day: date("2026-01-14")}, // an empty summary counts as no data
	}
	g := ComputeThrough(p, "", time.Time{}, date("2026-02-09"), date("2026-02-08"), days)
	wantStatus := []saydo.Status{saydo.Kept, saydo.NoData, saydo.Broken, saydo.Kept, saydo.NoData}
	if len(g.Periods) != len(wantStatus) {
		t.Fatalf("got %d periods, want %d", len(g.Periods), len(wantStatus))
	}
	for i, w := range wantStatus {
		if g.Periods[i].Status != w {
			t.Errorf("period %d: status %s, want %s", i, g.Periods[i].Status, w)
		}
	}
	empty := g.Periods[1]
	if empty.N != 0 || !math.IsNaN(empty.Delivered) || !math.IsNaN(empty.Gap) || !math.IsNaN(empty.CI[0]) ||
		!math.IsNaN(empty.Mean) || !math.IsNaN(empty.P50) || !math.IsNaN(empty.P90) {
		t.Errorf("empty period = %+v, want n = 0 and NaN figures", empty)
	}
	if g.Latest == nil || !g.Latest.Start.Equal(date("2026-01-26")) || g.Status != saydo.Kept {
		t.Errorf("latest %+v, status %s; want the week of 2026-01-26, kept", g.Latest, g.Status)
	}
	if g.Trend.Periods != 3 {
		t.Errorf("trend over %d periods, want 3 with data", g.Trend.Periods)
	}
}

func TestComputeNothing(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	p := &saydo.Promise{ID: "x", Objective: o, Period: saydo.Week}
	t.Run("open range", func(t *testing.T) {
		g := Compute(p, "", time.Time{}, time.Time{}, nil)
		if g.Periods == nil || len(g.Periods) != 0 || g.Latest != nil || g.Status != saydo.NoData || g.Trend.Direction != saydo.Unknown {
			t.Errorf("got %+v, want no periods (non-nil), no latest, no_data, unknown trend", g)
		}
	})
	t.Run("closed range", func(t *testing.T) {
		g := Compute(p, "", date("2026-01-05"), date("2026-01-19"), []saydo.Summary{day(o, "2026-03-01", 1)})
		if len(g.Periods) != 2 || g.Periods[0].Status != saydo.NoData || g.Periods[1].Status != saydo.NoData ||
			g.Latest != nil || g.Status != saydo.NoData {
			t.Errorf("got %+v, want two no_data weeks", g)
		}
	})
	t.Run("from after to", func(t *testing.T) {
		g := Compute(p, "", date("2026-02-01"), date("2026-01-01"), []saydo.Summary{day(o, "2026-01-10", 1)})
		if len(g.Periods) != 0 {
			t.Errorf("got %d periods, want 0", len(g.Periods))
		}
	})
}

// bucket is the identity and counts of one period.
type bucket struct {
	start, end string
	n, met     int64
}

func buckets(periods []saydo.PeriodGap) []bucket {
	out := []bucket{}
	for _, p := range periods {
		out = append(out, bucket{p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), p.N, p.Met})
	}
	return out
}

func TestComputeBuckets(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	tests := []struct {
		name     string
		period   saydo.Period
		from, to string
		days     []saydo.Summary
		want     []bucket
	}{
		{
			// 2026-01-01 is a Thursday: its ISO week starts Monday
			// 2025-12-29. Sunday 01-04 closes that week; Monday 01-05
			// opens the next.
			name: "ISO weeks start on Monday", period: saydo.Week,
			days: []saydo.Summary{day(o, "2026-01-01", 60), day(o, "2026-01-04", 180), day(o, "2026-01-05", 60)},
			want: []bucket{{"2025-12-29", "2026-01-05", 2, 1}, {"2026-01-05", "2026-01-12", 1, 1}},
		},
		{
			// Calendar months of 31, 28 (2026 is not a leap year) and 31
			// days; a period's end is the next one's start.
			name: "months", period: saydo.Month,
			days: []saydo.Summary{day(o, "2026-01-31", 60), day(o, "2026-02-01", 180), day(o, "2026-02-28", 60), day(o, "2026-03-15", 60)},
			want: []bucket{{"2026-01-01", "2026-02-01", 1, 1}, {"2026-02-01", "2026-03-01", 2, 1}, {"2026-03-01", "2026-04-01", 1, 1}},
		},
		{
			name: "days", period: saydo.Day,
			days: []saydo.Summary{day(o, "2026-02-27", 60), day(o, "2026-03-01", 180)},
			want: []bucket{{"2026-02-27", "2026-02-28", 1, 1}, {"2026-02-28", "2026-03-01", 0, 0}, {"2026-03-01", "2026-03-02", 1, 0}},
		},
		{
			// from = Wednesday 01-07, to = Tuesday 01-20, exclusive: Monday
			// 01-05, Tuesday 01-20 and later fall outside. The first and
			// last weeks are partial but keep their calendar bounds.
			name: "from and to clip days", period: saydo.Week, from: "2026-01-07", to: "2026-01-20",
			days: []saydo.Summary{
				day(o, "2026-01-05", 500, 500), day(o, "2026-01-07", 60), day(o, "2026-01-11", 60),
				day(o, "2026-01-19", 180), day(o, "2026-01-20", 500), day(o, "2026-01-27", 500),
			},
			want: []bucket{{"2026-01-05", "2026-01-12", 2, 2}, {"2026-01-12", "2026-01-19", 0, 0}, {"2026-01-19", "2026-01-26", 1, 0}},
		},
		{
			// Only from: up to the last day with data at or after it.
			name: "from only", period: saydo.Month, from: "2026-02-01",
			days: []saydo.Summary{day(o, "2026-01-31", 500), day(o, "2026-03-02", 60)},
			want: []bucket{{"2026-02-01", "2026-03-01", 0, 0}, {"2026-03-01", "2026-04-01", 1, 1}},
		},
		{
			// Only to: from the first day with data.
			name: "to only", period: saydo.Day, to: "2026-01-03",
			days: []saydo.Summary{day(o, "2026-01-02", 60), day(o, "2026-01-03", 500)},
			want: []bucket{{"2026-01-02", "2026-01-03", 1, 1}},
		},
		{
			// Several summaries of the same day (e.g. from two stores' shards) merge.
			name: "same day twice", period: saydo.Week,
			days: []saydo.Summary{day(o, "2026-01-06", 60, 180), day(o, "2026-01-06", 60)},
			want: []bucket{{"2026-01-05", "2026-01-12", 3, 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var from, to time.Time
			if tt.from != "" {
				from = date(tt.from)
			}
			if tt.to != "" {
				to = date(tt.to)
			}
			p := &saydo.Promise{ID: "x", Objective: o, Period: saydo.Day}
			g := Compute(p, tt.period, from, to, tt.days)
			if got := buckets(g.Periods); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if g.Period != tt.period {
				t.Errorf("period = %s, want the override %s", g.Period, tt.period)
			}
		})
	}
}

func TestComputePeriodDefaults(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	days := []saydo.Summary{day(o, "2026-01-06", 60)}
	if g := Compute(&saydo.Promise{Objective: o, Period: saydo.Month}, "", time.Time{}, time.Time{}, days); g.Period != saydo.Month {
		t.Errorf("period = %s, want the promise's month", g.Period)
	}
	if g := Compute(&saydo.Promise{Objective: o}, "", time.Time{}, time.Time{}, days); g.Period != saydo.Week {
		t.Errorf("period = %s, want week when the promise has none", g.Period)
	}
}

func TestComputeLeavesInputAlone(t *testing.T) {
	// Merging must not write into the caller's summaries (their sketches
	// hold maps, which a shallow copy would share).
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	days := []saydo.Summary{day(o, "2026-01-06", 60, 70), day(o, "2026-01-07", 80, 500)}
	p := &saydo.Promise{Objective: o, Period: saydo.Week}
	Compute(p, "", time.Time{}, time.Time{}, days)
	Compute(p, "", time.Time{}, time.Time{}, days)
	if days[0].N != 2 || days[0].Values.Count() != 2 || days[0].Values.Quantile(1) != 70 || !days[0].Day.Equal(date("2026-01-06")) {
		t.Errorf("first day changed: n=%d, values=%d, max %g", days[0].N, days[0].Values.Count(), days[0].Values.Quantile(1))
	}
}

func TestComputeTrend(t *testing.T) {
	// Six weeks of 200 calls, 99% to 89% in time: the gap grows by 2
	// points a week, exactly, so p = 0.
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	p := &saydo.Promise{Objective: o, Period: saydo.Week}
	var days []saydo.Summary
	start := date("2026-01-05")
	for w, met := range []int{198, 194, 190, 186, 182, 178} {
		days = append(days, day(o, start.AddDate(0, 0, 7*w).Format(time.DateOnly), repeat(200, met, 60, 180)...))
	}
	g := ComputeThrough(p, "", time.Time{}, time.Time{}, date("2026-02-15"), days)
	if g.Trend.Direction != saydo.Widening || !within(g.Trend.Slope, 0.02, 1e-12) || g.Trend.PValue > 1e-9 || g.Trend.Periods != 6 {
		t.Errorf("trend = %+v, want widening, slope 0.02, p ≈ 0, 6 periods", g.Trend)
	}
}

func TestPeriods(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	days := []saydo.Summary{day(o, "2026-01-06", 60, 70), day(o, "2026-01-08", 80), day(o, "2026-01-20", 500)}
	got := Periods(saydo.Week, time.Time{}, time.Time{}, days)
	if len(got) != 3 {
		t.Fatalf("got %d periods, want 3", len(got))
	}
	// Merged: n 3, mean 70 (60 70 80), variance 100; empty middle week.
	first := got[0]
	if !first.Day.Equal(date("2026-01-05")) || first.N != 3 || first.Met != 3 || !within(first.Mean, 70, 1e-12) ||
		!within(first.Variance(), 100, 1e-12) || first.Min != 60 || first.Max != 80 || first.Values.Count() != 3 {
		t.Errorf("first period = %+v, want 2026-01-05, n 3, mean 70, variance 100, 60–80", first)
	}
	if got[1].N != 0 || !got[1].Day.Equal(date("2026-01-12")) || !got[2].Day.Equal(date("2026-01-19")) {
		t.Errorf("later periods = %+v, %+v", got[1], got[2])
	}
}

func TestSegment(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	p := &saydo.Promise{Objective: o, Period: saydo.Week}
	s := SegmentThrough(p, "", time.Time{}, time.Time{}, date("2026-01-11"), "north", []saydo.Summary{day(o, "2026-01-06", repeat(20, 10, 60, 180)...)})
	if s.Value != "north" || s.Status != saydo.Broken || s.Latest == nil || len(s.Periods) != 1 || s.Trend.Direction != saydo.Unknown {
		t.Errorf("segment = %+v, want north, broken, one period", s)
	}
}

// BenchmarkCompute computes 20 promises over 365 days of summaries of 500
// observations each, bucketed by week.
func BenchmarkCompute(b *testing.B) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95}
	p := &saydo.Promise{ID: "answer-in-2-min", Objective: o, Period: saydo.Week}
	var promises [20][]saydo.Summary
	start := date("2026-01-01")
	for i := range promises {
		for d := range 365 {
			s := saydo.Summary{Day: start.AddDate(0, 0, d)}
			for j := range 500 {
				v := float64((i*7919 + d*104729 + j*15485863) % 300) // 0–299 s waits, ~300 distinct values
				s.Add(v, o.Meets(v))
			}
			// Round-trip the sketch as the store does, so the benchmark
			// merges sketches in their stored (sorted) form.
			blob, _ := s.Values.MarshalBinary()
			s.Values = saydo.Sketch{}
			if err := s.Values.UnmarshalBinary(blob); err != nil {
				b.Fatal(err)
			}
			promises[i] = append(promises[i], s)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range promises {
			Compute(p, "", time.Time{}, time.Time{}, promises[i])
		}
	}
}

func TestPartialPeriods(t *testing.T) {
	// Three full weeks kept, then a last week with two days of data that
	// break the promise: the verdict stays with the last complete week,
	// and the two days are listed as partial, 2 of 7 days covered.
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}
	p := &saydo.Promise{ID: "x", Objective: o, Period: saydo.Week}
	var days []saydo.Summary
	for d := date("2026-01-05"); d.Before(date("2026-01-26")); d = d.AddDate(0, 0, 1) {
		days = append(days, day(o, d.Format(time.DateOnly), repeat(20, 19, 60, 180)...))
	}
	days = append(days, day(o, "2026-01-26", repeat(20, 2, 60, 180)...), day(o, "2026-01-27", repeat(20, 2, 60, 180)...))
	g := Compute(p, "", time.Time{}, time.Time{}, days)
	if len(g.Periods) != 4 {
		t.Fatalf("got %d periods, want 4", len(g.Periods))
	}
	last := g.Periods[3]
	if !last.Partial || last.DaysCovered != 2 || last.Status != saydo.Broken {
		t.Errorf("last period partial %v, %d days, %s; want partial, 2 days, broken", last.Partial, last.DaysCovered, last.Status)
	}
	for _, pg := range g.Periods[:3] {
		if pg.Partial || pg.DaysCovered != 7 {
			t.Errorf("week %s partial %v, %d days; want complete, 7", pg.Start.Format(time.DateOnly), pg.Partial, pg.DaysCovered)
		}
	}
	if g.Status != saydo.Kept || g.Latest == nil || !g.Latest.Start.Equal(date("2026-01-19")) {
		t.Errorf("status %s, latest %+v; want kept, the week of 2026-01-19", g.Status, g.Latest)
	}
	if g.Current == nil || !g.Current.Start.Equal(date("2026-01-26")) {
		t.Errorf("current %+v, want the partial week of 2026-01-26", g.Current)
	}
	if g.Trend.Periods != 3 {
		t.Errorf("trend used %d periods, want the 3 complete ones", g.Trend.Periods)
	}

	// Another promise's data on the same metric reach Sunday: complete.
	g = ComputeThrough(p, "", time.Time{}, time.Time{}, date("2026-02-01"), days)
	if g.Periods[3].Partial || g.Status != saydo.Broken || g.Current != nil {
		t.Errorf("with evidence to Sunday: partial %v, status %s, current %v; want complete, broken, none", g.Periods[3].Partial, g.Status, g.Current)
	}

	// A range that ends mid-week cuts the week: partial, 3 days.
	g = ComputeThrough(p, "", time.Time{}, date("2026-01-22"), date("2026-02-01"), days)
	if l := g.Periods[len(g.Periods)-1]; !l.Partial || l.DaysCovered != 3 {
		t.Errorf("range to Wednesday: last week partial %v, %d days; want partial, 3", l.Partial, l.DaysCovered)
	}

	// Only partial data: no verdict, the period in progress is shown.
	g = Compute(p, "", time.Time{}, time.Time{}, days[len(days)-2:])
	if g.Status != saydo.NoData || g.Latest != nil || g.Current == nil {
		t.Errorf("two days only: status %s, latest %v, current %v; want no_data, none, the partial week", g.Status, g.Latest, g.Current)
	}
}

func TestPooledPeriodIsComplete(t *testing.T) {
	// A BTS-style row counts a whole month on its first day: the month is
	// complete though the only day with evidence is the 1st.
	o := saydo.Objective{Kind: saydo.AtMost, Value: 15, Share: 0.8}
	p := &saydo.Promise{ID: "on-time", Objective: o, Period: saydo.Month}
	var s saydo.Summary
	s.Day = date("2026-03-01")
	s.AddCounted(1296, 1296-277)
	g := Compute(p, "", time.Time{}, time.Time{}, []saydo.Summary{s})
	if len(g.Periods) != 1 || g.Periods[0].Partial || g.Periods[0].DaysCovered != 31 {
		t.Fatalf("periods %+v, want one complete month of 31 days", g.Periods)
	}
	l := g.Latest
	if l == nil || l.N != 1296 || l.Met != 1019 || !within(l.Delivered, 1019.0/1296, 1e-12) || !math.IsNaN(l.Mean) || !math.IsNaN(l.P50) {
		t.Errorf("latest %+v, want n 1296, met 1019, no mean or percentiles", l)
	}
}

// TestPooledCoarserThanPeriod: monthly counts judged by week would judge
// each month's count as one week's; those weeks are not judged, the
// report says how often the source counted, and by month they are.
func TestPooledCoarserThanPeriod(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 15, Share: 0.8}
	p := &saydo.Promise{ID: "on-time", Objective: o, Period: saydo.Month}
	var days []saydo.Summary
	for _, d := range []string{"2026-01-01", "2026-02-01", "2026-03-01"} {
		s := saydo.Summary{Day: date(d)}
		s.AddCounted(1000, 600) // 60%: broken
		days = append(days, s)
	}
	g := Compute(p, saydo.Week, time.Time{}, time.Time{}, days)
	if g.PooledEvery != 28 || g.Latest != nil || g.Status != saydo.NoData || g.Current != nil {
		t.Errorf("by week: pooled every %d, latest %+v, status %s, current %+v; want 28, no verdict, nothing in progress", g.PooledEvery, g.Latest, g.Status, g.Current)
	}
	g = Compute(p, saydo.Month, time.Time{}, time.Time{}, days)
	if g.PooledEvery != 0 || g.Latest == nil || g.Status != saydo.Broken {
		t.Errorf("by month: pooled every %d, latest %+v, status %s; want the months judged, broken", g.PooledEvery, g.Latest, g.Status)
	}
}

// TestSegmentSinceFirstDay: a breakdown is handed its promise's calendar
// range; a segment with one regime reads "since" its own first day with
// data (Thursday 8 Jan 2026), not the Monday that starts the week.
func TestSegmentSinceFirstDay(t *testing.T) {
	o := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}
	p := &saydo.Promise{Objective: o, Period: saydo.Week}
	var days []saydo.Summary
	for _, d := range []string{"2026-01-08", "2026-01-13", "2026-01-20", "2026-01-27", "2026-02-03"} {
		days = append(days, day(o, d, repeat(20, 18, 60, 180)...))
	}
	s := SegmentThrough(p, saydo.Week, date("2026-01-05"), date("2026-02-09"), date("2026-02-08"), "south", days)
	if got, want := s.Trend.Since, date("2026-01-08"); len(s.Trend.Breaks) == 0 && !got.Equal(want) {
		t.Errorf("since = %s, want %s (the segment's first day with data)", got.Format(time.DateOnly), want.Format(time.DateOnly))
	}
}

// TestPromiseLifeCutsPeriods: a week the promise's until or since cuts is
// partial, so a promise that ends on a Monday is judged on its last full
// week, not on that Monday (the metric's evidence runs on: other
// promises' rows).
func TestPromiseLifeCutsPeriods(t *testing.T) {
	p := &saydo.Promise{ID: "summer", Metric: "wait", Period: saydo.Week,
		Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9},
		Since:     date("2026-08-05"), Until: date("2026-08-31")} // a Wednesday, a Monday
	o := p.Objective
	var days []saydo.Summary
	for d := date("2026-08-05"); !d.After(date("2026-08-31")); d = d.AddDate(0, 0, 1) {
		met := 10
		if d.Equal(date("2026-08-31")) {
			met = 0 // the last Monday: every call late
		}
		days = append(days, day(o, d.Format(time.DateOnly), repeat(10, met, 60, 300)...))
	}
	g := ComputeThrough(p, "", time.Time{}, time.Time{}, date("2026-09-13"), days)
	var partial []string
	for _, pg := range g.Periods {
		if pg.Partial {
			partial = append(partial, fmt.Sprintf("%s (%d days)", pg.Start.Format(time.DateOnly), pg.DaysCovered))
		}
	}
	if want := []string{"2026-08-03 (5 days)", "2026-08-31 (1 days)"}; !reflect.DeepEqual(partial, want) {
		t.Errorf("partial weeks %v, want %v", partial, want)
	}
	if g.Latest == nil || !g.Latest.Start.Equal(date("2026-08-24")) || g.Status != saydo.Kept {
		t.Errorf("latest %+v, status %s; want the week of 24 Aug, kept", g.Latest, g.Status)
	}
}
