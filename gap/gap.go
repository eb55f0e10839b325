// Package gap computes the say–do gap of a promise: it merges day summaries
// into periods, measures per period how far delivery falls short of the
// objective with a confidence interval and a verdict (kept, at_risk, broken,
// no_data), and tests whether the gap widens or narrows across periods.
//
// It is pure computation: no I/O, no clock, no state. The statistics are
// explained, with their sources, in docs/statistics.md.
package gap

import (
	"math"
	"slices"
	"time"

	"github.com/saydo/saydo"
)

// Confidence is the level of every interval the package reports (SPEC.md:
// 95% Wilson intervals for shares, 95% t intervals for means).
const Confidence = 0.95

// Compute builds the gap of one promise from its per-day summaries, given in
// any order; days outside [from, to) are ignored.
//
// period is the period to bucket by: the caller passes the promise's own or
// an override; when empty, the promise's own is used, and week when the
// promise has none. from and to are UTC days, to exclusive; a zero from means
// "from the first day with data", a zero to "up to the last day with data".
// Since/until of the promise are the caller's business: pass summaries and a
// range already clipped to them.
//
// Periods holds every period in range, including those without data (status
// no_data). Periods are aligned calendar periods (ISO weeks from Monday,
// calendar months), so the first and last may be only partly inside [from,
// to): their Start and End still name the whole calendar period, and only
// the days in range are counted. Latest is the last period with data (nil if
// none), Status its status (no_data if none), and Trend the trend across the
// periods (see TrendOf).
func Compute(p *saydo.Promise, period saydo.Period, from, to time.Time, days []saydo.Summary) saydo.PromiseGap {
	if period == "" {
		period = p.Period
	}
	if period == "" {
		period = saydo.Week
	}
	g := saydo.PromiseGap{
		ID:          p.ID,
		Says:        p.Says,
		Metric:      p.Metric,
		Owner:       p.Owner,
		DeliveredBy: slices.Clone(p.DeliveredBy),
		Stage:       p.Stage,
		Objective:   p.Objective,
		Period:      period,
		Status:      saydo.NoData,
	}
	sums := Periods(period, from, to, days)
	g.Periods = make([]saydo.PeriodGap, len(sums))
	for i := range sums {
		g.Periods[i] = Evaluate(p.Objective, sums[i].Day, period.Next(sums[i].Day), &sums[i])
	}
	for i := len(g.Periods) - 1; i >= 0; i-- {
		if g.Periods[i].N > 0 {
			latest := g.Periods[i]
			g.Latest = &latest
			g.Status = latest.Status
			break
		}
	}
	g.Trend = TrendOf(p.Objective, g.Periods)
	return g
}

// Segment is Compute for the observations of a promise that carry one value
// of an attribute (the rows of a --by breakdown).
func Segment(p *saydo.Promise, period saydo.Period, from, to time.Time, value string, days []saydo.Summary) saydo.SegmentGap {
	g := Compute(p, period, from, to, days)
	return saydo.SegmentGap{Value: value, Status: g.Status, Trend: g.Trend, Latest: g.Latest, Periods: g.Periods}
}

// Periods merges day summaries into consecutive periods, so callers can build
// breakdowns or their own views from the same buckets Compute uses.
//
// The range is resolved as in Compute: days outside [from, to) are ignored,
// and a zero from or to is replaced by the first day with data or the day
// after the last. It returns one Summary per period from the period holding
// the first day up to the one holding the last, in order, each with Day set
// to the period's start (its end is period.Next(Day)); periods without data
// have N = 0. The result shares no memory with days. With no data and an
// open range, it returns an empty slice.
func Periods(period saydo.Period, from, to time.Time, days []saydo.Summary) []saydo.Summary {
	inRange := func(d time.Time) bool {
		return (from.IsZero() || !d.Before(from)) && (to.IsZero() || d.Before(to))
	}
	first, last := from, to
	if from.IsZero() || to.IsZero() {
		var lo, hi time.Time
		for i := range days {
			d := days[i].Day
			if days[i].N == 0 || !inRange(d) {
				continue
			}
			if lo.IsZero() || d.Before(lo) {
				lo = d
			}
			if hi.IsZero() || d.After(hi) {
				hi = d
			}
		}
		if lo.IsZero() {
			return []saydo.Summary{}
		}
		if from.IsZero() {
			first = lo
		}
		if to.IsZero() {
			last = saydo.DayOf(hi).AddDate(0, 0, 1)
		}
	}
	if !first.Before(last) {
		return []saydo.Summary{}
	}
	var out []saydo.Summary
	index := map[int64]int{}
	for s := period.Start(first); s.Before(last); s = period.Next(s) {
		index[s.Unix()] = len(out)
		out = append(out, saydo.Summary{Day: s})
	}
	for i := range days {
		d := &days[i]
		if d.N == 0 || !inRange(d.Day) {
			continue
		}
		j, ok := index[period.Start(d.Day).Unix()]
		if !ok {
			continue
		}
		out[j].Merge(d)
		// Merge into an empty summary copies o.Day; keep the period's start.
		out[j].Day = period.Start(d.Day)
	}
	return out
}

// Evaluate judges one period: sum is the merged evidence of the days in
// [start, end). Threshold objectives deliver met/n with a 95% Wilson
// interval and gap = share − delivered; mean objectives deliver the mean
// with a 95% t interval and gap = (mean − M)/|M| for mean_at_most, (M −
// mean)/|M| for mean_at_least (SPEC.md uses M; |M| keeps the sign of the gap
// meaningful for negative targets, and a target of 0 gives the plain
// difference). A positive gap always means falling short.
func Evaluate(obj saydo.Objective, start, end time.Time, sum *saydo.Summary) saydo.PeriodGap {
	nan := math.NaN()
	g := saydo.PeriodGap{
		Start: start, End: end, N: sum.N, Met: sum.Met,
		Delivered: nan, CI: [2]float64{nan, nan}, Gap: nan,
		Mean: nan, P50: nan, P90: nan, Status: saydo.NoData,
	}
	if sum.N <= 0 {
		return g
	}
	g.Mean = sum.Mean
	q := sum.Values.Quantiles(0.5, 0.9)
	g.P50, g.P90 = q[0], q[1]
	if obj.IsMean() {
		g.Delivered = sum.Mean
		g.CI[0], g.CI[1] = TInterval(sum.Mean, sum.Variance(), sum.N, Confidence)
		scale := math.Abs(obj.Value)
		if scale == 0 {
			scale = 1
		}
		if obj.Kind == saydo.MeanAtMost {
			g.Gap = (sum.Mean - obj.Value) / scale
		} else {
			g.Gap = (obj.Value - sum.Mean) / scale
		}
	} else {
		g.Delivered = float64(sum.Met) / float64(sum.N)
		g.CI[0], g.CI[1] = Wilson(sum.Met, sum.N, Confidence)
		g.Gap = obj.Share - g.Delivered
	}
	g.Status = Verdict(obj, g.Delivered, g.CI)
	return g
}

// Verdict judges a delivered figure and its interval against an objective:
// kept when delivered meets it; broken when the whole interval lies on the
// wrong side; at_risk when it falls short but the interval still reaches the
// objective, or when there is no interval (a mean of one observation).
// A NaN delivered figure means no data.
func Verdict(obj saydo.Objective, delivered float64, ci [2]float64) saydo.Status {
	if math.IsNaN(delivered) {
		return saydo.NoData
	}
	switch obj.Kind {
	case saydo.MeanAtMost:
		switch {
		case atMost(delivered, obj.Value):
			return saydo.Kept
		case ci[0] > obj.Value: // false for NaN
			return saydo.Broken
		}
	case saydo.MeanAtLeast:
		switch {
		case atLeast(delivered, obj.Value):
			return saydo.Kept
		case ci[1] < obj.Value:
			return saydo.Broken
		}
	default: // threshold objectives: the share meeting the threshold must reach Share
		switch {
		case atLeast(delivered, obj.Share):
			return saydo.Kept
		case ci[1] < obj.Share:
			return saydo.Broken
		}
	}
	return saydo.AtRisk
}

// tolerance absorbs floating-point rounding in met/n and running means, so
// that 19/20 meets a share of 0.95 and a mean of exactly the target meets it.
func tolerance(target float64) float64 { return 1e-12 * math.Max(1, math.Abs(target)) }

func atLeast(v, target float64) bool { return v >= target-tolerance(target) }
func atMost(v, target float64) bool  { return v <= target+tolerance(target) }
