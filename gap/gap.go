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
// any order; days outside [from, to) are ignored. It is ComputeThrough with
// the evidence taken to end on the last day in days.
func Compute(p *saydo.Promise, period saydo.Period, from, to time.Time, days []saydo.Summary) saydo.PromiseGap {
	return ComputeThrough(p, period, from, to, time.Time{}, days)
}

// ComputeThrough builds the gap of one promise from its per-day summaries,
// given in any order; days outside [from, to) are ignored.
//
// period is the period to bucket by: the caller passes the promise's own or
// an override; when empty, the promise's own is used, and week when the
// promise has none. from and to are UTC days, to exclusive; a zero from means
// "from the first day with data", a zero to "up to the last day with data".
// The caller passes the summaries of the days the promise holds (its since
// and until); a period they cut is partial. through is the last day of the metric's
// evidence (any promise's, any attribute: the day its data stop); zero means
// the last day in days.
//
// Periods holds every period in range, including those without data (status
// no_data). Periods are aligned calendar periods (ISO weeks from Monday,
// calendar months), so the first and last may be only partly inside [from,
// to): their Start and End still name the whole calendar period, and only
// the days in range are counted. A period is partial (see Coverage) when
// the evidence or the range stops before its last day. Latest is the last
// complete period with data (nil if none), Status its status (no_data if
// none), Current the last period with data when it is partial, and Trend
// the change-point trend across the complete periods (see TrendOf).
func ComputeThrough(p *saydo.Promise, period saydo.Period, from, to, through time.Time, days []saydo.Summary) saydo.PromiseGap {
	if period == "" {
		period = p.Period
	}
	if period == "" {
		period = saydo.Week
	}
	g := saydo.PromiseGap{
		ID:             p.ID,
		Says:           p.Says,
		Metric:         p.Metric,
		Owner:          p.Owner,
		DeliveredBy:    slices.Clone(p.DeliveredBy),
		Stage:          p.Stage,
		Objective:      p.Objective,
		ObjectiveText:  saydo.Metric{ID: p.Metric}.Phrase(p.Objective),
		Period:         period,
		Status:         saydo.NoData,
		BrokenSegments: []saydo.BrokenSegment{},
		Actions:        []saydo.ActionEffect{},
	}
	if through.IsZero() {
		for i := range days {
			if days[i].N > 0 && (from.IsZero() || !days[i].Day.Before(from)) && (to.IsZero() || days[i].Day.Before(to)) && days[i].Day.After(through) {
				through = days[i].Day
			}
		}
	}
	sums := Periods(period, from, to, days)
	g.Periods = make([]saydo.PeriodGap, len(sums))
	// A period the promise's own since or until cuts is partial too: a
	// promise that ends on a Monday has one day in its last week, and that
	// day sets nothing.
	covFrom, covTo := from, to
	if !p.Since.IsZero() && (covFrom.IsZero() || p.Since.After(covFrom)) {
		covFrom = p.Since
	}
	if !p.Until.IsZero() {
		if end := p.Until.AddDate(0, 0, 1); covTo.IsZero() || end.Before(covTo) {
			covTo = end
		}
	}
	for i := range sums {
		start, end := sums[i].Day, period.Next(sums[i].Day)
		g.Periods[i] = Evaluate(p.Objective, start, end, &sums[i])
		g.Periods[i].Partial, g.Periods[i].DaysCovered = Coverage(start, end, covFrom, covTo, through, sums[i].Pooled > 0)
	}
	if every := pooledEvery(days); every > 0 && !judgeable(every, period) {
		// A pre-aggregated row stands for its source's whole period; a
		// shorter period would judge a month's count as one week's.
		g.PooledEvery = every
		for i := range sums {
			if sums[i].Pooled > 0 {
				g.Periods[i].Partial = true
			}
		}
	}
	g.Latest, g.Current = LatestComplete(g.Periods)
	if g.Current != nil && g.PooledEvery > 0 {
		for i := range sums {
			if sums[i].Day.Equal(g.Current.Start) && sums[i].Pooled > 0 {
				g.Current = nil // not in progress: not judged by this period at all
				break
			}
		}
	}
	if g.Latest != nil {
		g.Status = g.Latest.Status
	}
	g.Trend = TrendOf(p.Objective, g.Periods)
	if len(g.Trend.Breaks) == 0 && !g.Trend.Since.IsZero() {
		// One regime: it runs since the start of the range (the report's
		// from, or the first day with data), not the start of the calendar
		// period that holds it.
		start := from
		if start.IsZero() {
			for i := range days {
				if days[i].N > 0 && (to.IsZero() || days[i].Day.Before(to)) && (start.IsZero() || days[i].Day.Before(start)) {
					start = saydo.DayOf(days[i].Day)
				}
			}
		}
		if start.After(g.Trend.Since) {
			g.Trend.Since = start
		}
	}
	return g
}

// pooledEvery is the fewest days between consecutive days holding
// pre-aggregated rows (0 with fewer than two such days): how often the
// source counted.
func pooledEvery(days []saydo.Summary) int {
	var ds []int64
	for i := range days {
		if days[i].Pooled > 0 {
			ds = append(ds, days[i].Day.Unix()/86400)
		}
	}
	slices.Sort(ds)
	ds = slices.Compact(ds)
	every := 0
	for i := 1; i < len(ds); i++ {
		if d := int(ds[i] - ds[i-1]); every == 0 || d < every {
			every = d
		}
	}
	return every
}

// judgeable reports whether evidence pre-aggregated every `every` days
// can be judged by period p: the rows are at most 1.5 times p's longest
// span apart (monthly rows by month, not by week).
func judgeable(every int, p saydo.Period) bool {
	return float64(every) <= 1.5*float64(longestDays(p))
}

// PooledPeriod is the shortest period evidence pre-aggregated every
// `every` days can be judged by (PromiseGap.PooledEvery), by the rule
// ComputeThrough applies.
func PooledPeriod(every int) saydo.Period {
	for _, p := range []saydo.Period{saydo.Day, saydo.Week, saydo.Month, saydo.Quarter} {
		if judgeable(every, p) {
			return p
		}
	}
	return saydo.Year
}

// longestDays is the most days a period of p spans.
func longestDays(p saydo.Period) int {
	switch p {
	case saydo.Week:
		return 7
	case saydo.Month:
		return 31
	case saydo.Quarter:
		return 92
	case saydo.Year:
		return 366
	}
	return 1
}

// Coverage says whether the evidence covers the period [start, end) to its
// end, and how many of its days it covers. through is the last day of the
// metric's evidence; from and to (to exclusive, zero = open) the report's
// range. The period is partial when the evidence or the range stops before
// its last day, or the range starts after its first day. A period holding
// pre-aggregated rows (pooled) stands for the whole period, as the source
// counted it, and is complete.
func Coverage(start, end, from, to, through time.Time, pooled bool) (partial bool, days int) {
	lo, hi := start, end
	if !from.IsZero() && from.After(lo) {
		lo = from
	}
	if !to.IsZero() && to.Before(hi) {
		hi = to
	}
	if !through.IsZero() {
		if t := saydo.DayOf(through).AddDate(0, 0, 1); t.Before(hi) {
			hi = t
		}
	}
	if hi.After(lo) {
		days = int(math.Round(hi.Sub(lo).Hours() / 24))
	}
	if pooled {
		return false, int(math.Round(end.Sub(start).Hours() / 24))
	}
	return lo.After(start) || hi.Before(end), days
}

// LatestComplete returns the last complete period with data (the one that
// sets a promise's verdict) and, when the last period with data is partial,
// that period too (the one in progress). Either may be nil. The returned
// periods are copies.
func LatestComplete(periods []saydo.PeriodGap) (latest, current *saydo.PeriodGap) {
	for i := len(periods) - 1; i >= 0; i-- {
		if periods[i].N <= 0 {
			continue
		}
		if periods[i].Partial {
			if current == nil {
				c := periods[i]
				current = &c
			}
			continue
		}
		l := periods[i]
		return &l, current
	}
	return nil, current
}

// Segment is Compute for the observations of a promise that carry one value
// of an attribute (the rows of a --by breakdown).
func Segment(p *saydo.Promise, period saydo.Period, from, to time.Time, value string, days []saydo.Summary) saydo.SegmentGap {
	return SegmentThrough(p, period, from, to, time.Time{}, value, days)
}

// SegmentThrough is ComputeThrough for one segment: through is the last
// day of the metric's evidence, so a segment's periods are partial exactly
// when the promise's are.
func SegmentThrough(p *saydo.Promise, period saydo.Period, from, to, through time.Time, value string, days []saydo.Summary) saydo.SegmentGap {
	g := ComputeThrough(p, period, from, to, through, days)
	// A breakdown is given the range of its promise's periods, so from is
	// the start of a calendar period; with one regime the segment's trend
	// runs since its own first day with data, as a promise's does.
	if len(g.Trend.Breaks) == 0 && !g.Trend.Since.IsZero() {
		var first time.Time
		for i := range days {
			d := days[i].Day
			if days[i].N > 0 && (from.IsZero() || !d.Before(from)) && (to.IsZero() || d.Before(to)) && (first.IsZero() || d.Before(first)) {
				first = saydo.DayOf(d)
			}
		}
		if first.After(g.Trend.Since) {
			g.Trend.Since = first
		}
	}
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
	if sum.Valued() > 0 {
		g.Mean = sum.Mean
	}
	// Percentiles need every experience's value: pre-aggregated rows
	// carry none.
	if sum.Values.Count() == sum.N {
		q := sum.Values.Quantiles(0.5, 0.9)
		g.P50, g.P90 = q[0], q[1]
	}
	if obj.IsMean() {
		if sum.Valued() <= 0 {
			return g
		}
		g.Delivered = sum.Mean
		g.CI[0], g.CI[1] = TInterval(sum.Mean, sum.Variance(), sum.Valued(), Confidence)
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
