package ledger

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
)

// GapQuery selects what a gap report covers.
type GapQuery struct {
	// Promise limits the report to one promise id; empty means all.
	Promise string
	// Period overrides each promise's own period; empty keeps them.
	Period saydo.Period
	// From and To bound the days covered, To exclusive; zero means from
	// the first or up to the last day with data.
	From, To time.Time
	// By breaks each promise's gap down by the values of one attribute.
	By string
	// MaxSegments caps the breakdown to the segments with the most
	// observations (default 25).
	MaxSegments int
	// Sort is "money" to order promises by revenue at risk, largest
	// first; empty keeps saydo.yaml's order.
	Sort string
}

// GapReport refreshes stale summaries and computes the gap of every promise
// the query selects.
//
// A range that would enumerate more than saydo.MaxPeriods periods for any
// selected promise is refused with a *saydo.RangeError: before any work when
// the query bounds both ends (see CheckGapQuery), once the data's first or
// last day is known otherwise.
func GapReport(ctx context.Context, st saydo.Store, ws *saydo.Workspace, q GapQuery, now time.Time) (*saydo.GapReport, error) {
	if err := CheckGapQuery(ws, q); err != nil {
		return nil, err
	}
	if err := Refresh(ctx, st, ws); err != nil {
		return nil, err
	}
	rep := &saydo.GapReport{GeneratedAt: now.UTC().Truncate(time.Second), Period: string(q.Period), By: q.By, Promises: []saydo.PromiseGap{}}
	if q.Period == "" {
		rep.Period = "promise"
	}
	if !q.From.IsZero() {
		rep.From = q.From.Format(time.DateOnly)
	}
	if !q.To.IsZero() {
		rep.To = q.To.Format(time.DateOnly)
	}
	// rows counts the period entries of the report so far, against
	// saydo.MaxReportPeriods.
	var rows int64
	for i := range ws.Promises {
		p := &ws.Promises[i]
		if q.Promise != "" && p.ID != q.Promise {
			continue
		}
		period := p.Period
		if q.Period != "" {
			period = q.Period
		}
		_, days, err := st.Summaries(ctx, p.ID, q.From, q.To)
		if err != nil {
			return nil, fmt.Errorf("summaries of %s: %w", p.ID, err)
		}
		if err := checkResolvedRange(period, q.From, q.To, days); err != nil {
			return nil, err
		}
		// The metric's evidence may reach further than this promise's
		// (another region, another promise): a period is partial only when
		// the metric's data stop before its end.
		_, through, _, err := st.ObservationSpan(ctx, p.Metric)
		if err != nil {
			return nil, fmt.Errorf("evidence of %s: %w", p.Metric, err)
		}
		if !through.IsZero() {
			through = lastCompleteDay(saydo.DayOf(through), now)
		}
		pg := gap.ComputeThrough(p, period, q.From, q.To, through, days)
		if rows += int64(len(pg.Periods)); rows > saydo.MaxReportPeriods {
			return nil, reportTooLarge(rows)
		}
		m := ws.MetricInfo(p.Metric)
		pg.Unit, pg.ObjectiveText = m.Unit, m.Phrase(p.Objective)
		if pg.BrokenSegments, err = brokenSegments(ctx, st, p, &pg); err != nil {
			return nil, fmt.Errorf("segments of %s: %w", p.ID, err)
		}
		for _, d := range days {
			if d.N == 0 {
				continue
			}
			if day := d.Day.Format(time.DateOnly); rep.DataFrom == "" || day < rep.DataFrom {
				rep.DataFrom = day
			}
			if day := d.Day.Format(time.DateOnly); day > rep.DataTo {
				rep.DataTo = day
			}
		}
		if q.By != "" {
			from, to := q.From, q.To
			if len(pg.Periods) > 0 {
				from, to = pg.Periods[0].Start, pg.Periods[len(pg.Periods)-1].End
			}
			if pg.Breakdown, err = breakdown(ctx, st, p, period, from, to, through, q, len(pg.Periods), &rows); err != nil {
				return nil, fmt.Errorf("breakdown of %s by %s: %w", p.ID, q.By, err)
			}
		}
		rep.Promises = append(rep.Promises, pg)
	}
	if q.By != "" && !carriesAttr(rep.Promises) {
		return nil, &saydo.LimitError{Msg: fmt.Sprintf("no observation in the range carries the attribute %q, so there is nothing to break down: check its spelling (attributes are the extra columns of the imported files, such as region or channel)", q.By)}
	}
	if err := attachImpact(ctx, st, ws, q, rep); err != nil {
		return nil, fmt.Errorf("impact: %w", err)
	}
	if q.Sort == "money" {
		saydo.SortByMoney(rep.Promises)
		rep.Sort = q.Sort
	}
	return rep, nil
}

// CheckGapQuery refuses a query before any work is done: an unknown
// promise, or a range bounded at both ends that holds more than
// saydo.MaxPeriods periods of a selected promise's period (a
// *saydo.RangeError). Open ranges are checked by GapReport once the data's
// bounds are known.
func CheckGapQuery(ws *saydo.Workspace, q GapQuery) error {
	if q.Promise != "" {
		if _, ok := ws.Promise(q.Promise); !ok {
			return fmt.Errorf("unknown promise %q (known: %s)", q.Promise, promiseIDs(ws))
		}
	}
	if q.From.IsZero() || q.To.IsZero() {
		return nil
	}
	for i := range ws.Promises {
		p := &ws.Promises[i]
		if q.Promise != "" && p.ID != q.Promise {
			continue
		}
		period := p.Period
		if q.Period != "" {
			period = q.Period
		}
		if err := saydo.CheckRange(period, q.From, q.To); err != nil {
			return err
		}
	}
	return nil
}

// checkResolvedRange applies saydo.CheckRange to the range gap.Compute
// will enumerate: an open end is the first day with data, or the day after
// the last.
func checkResolvedRange(period saydo.Period, from, to time.Time, days []saydo.Summary) error {
	if from.IsZero() || to.IsZero() {
		var lo, hi time.Time
		for i := range days {
			d := days[i].Day
			if days[i].N == 0 || (!from.IsZero() && d.Before(from)) || (!to.IsZero() && !d.Before(to)) {
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
			return nil // no data in range: nothing is enumerated
		}
		if from.IsZero() {
			from = lo
		}
		if to.IsZero() {
			to = saydo.DayOf(hi).AddDate(0, 0, 1)
		}
	}
	return saydo.CheckRange(period, from, to)
}

// carriesAttr reports whether a breakdown found the attribute on any
// observation, or found no observation at all (nothing to say then); a
// breakdown whose every segment is NoValue names an attribute the evidence
// does not have, most often a typo.
func carriesAttr(promises []saydo.PromiseGap) bool {
	seen := false
	for i := range promises {
		for _, s := range promises[i].Breakdown {
			if s.Value != NoValue {
				return true
			}
			seen = true
		}
	}
	return !seen
}

// NoValue labels observations that lack the --by attribute.
const NoValue = "(none)"

// lastCompleteDay is the last day of evidence a report may count as
// complete: through, the metric's last day of evidence, unless it is the
// clock's own day, which is still in progress (or the next, which an
// import accepts for clocks a little behind): then the day before the
// clock's. So five hours of today's data leave the day, and its week, in
// progress and judged by nothing (the verdict stays yesterday's). Evidence
// further ahead of the clock than an import accepts (the demo's year, read
// before it ends) is judged by the data alone: that clock is not the
// evidence's.
func lastCompleteDay(through, now time.Time) time.Time {
	if now.IsZero() {
		return through
	}
	today := saydo.DayOf(now)
	if through.Before(today) || through.After(today.AddDate(0, 0, 1)) {
		return through
	}
	return today.AddDate(0, 0, -1)
}

// breakdown computes the gap per value of q.By from raw observations: the
// attributes are not part of the day summaries, so a breakdown reads the
// promise's observations in range once.
//
// Its cost is bounded before it is paid: reading stops with a
// *saydo.LimitError when the attribute has more than
// saydo.MaxBreakdownValues values in range, and the segments' periods
// (periods each) are added to *rows and checked against
// saydo.MaxReportPeriods before they are computed.
func breakdown(ctx context.Context, st saydo.Store, p *saydo.Promise, period saydo.Period, from, to, through time.Time, q GapQuery, periods int, rows *int64) ([]saydo.SegmentGap, error) {
	if from.IsZero() || to.IsZero() {
		return nil, nil // no data
	}
	acc := map[string]map[int64]*saydo.Summary{}
	err := st.ScanObservations(ctx, p.Metric, from, to, func(o *saydo.Observation) error {
		day := saydo.DayOf(o.At)
		if !p.Holds(day) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) {
			return nil
		}
		v, ok := o.Attrs.Get(q.By)
		if !ok {
			v = NoValue
		}
		days := acc[v]
		if days == nil {
			if len(acc) == saydo.MaxBreakdownValues {
				return &saydo.LimitError{Msg: fmt.Sprintf("more than %d values in range; break down by an attribute with few values (region, channel), not an id",
					saydo.MaxBreakdownValues)}
			}
			days = map[int64]*saydo.Summary{}
			acc[v] = days
		}
		s := days[day.Unix()]
		if s == nil {
			s = &saydo.Summary{Day: day}
			days[day.Unix()] = s
		}
		s.AddObservation(o, p.Objective, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	type seg struct {
		value string
		n     int64
		days  []saydo.Summary
	}
	var segs []seg
	for v, m := range acc {
		s := seg{value: v}
		for _, d := range m {
			s.n += d.N
			s.days = append(s.days, *d)
		}
		// In day order, as the store returns a promise's days: merged in
		// map order, the same evidence gave means that differ in the last
		// digit from one request to the next.
		sortSummaries(s.days)
		segs = append(segs, s)
	}
	sort.Slice(segs, func(i, j int) bool {
		if segs[i].n != segs[j].n {
			return segs[i].n > segs[j].n
		}
		return segs[i].value < segs[j].value
	})
	limit := q.MaxSegments
	if limit <= 0 {
		limit = 25
	}
	if len(segs) > limit {
		segs = segs[:limit]
	}
	if *rows += int64(len(segs)) * int64(periods); *rows > saydo.MaxReportPeriods {
		return nil, reportTooLarge(*rows)
	}
	out := make([]saydo.SegmentGap, 0, len(segs))
	for _, s := range segs {
		out = append(out, gap.SegmentThrough(p, period, from, to, through, s.value, s.days))
	}
	// Worst first: the segments a department owner should look at.
	sort.SliceStable(out, func(i, j int) bool {
		return saydo.WorseThan(out[i].Status, out[i].Latest, out[j].Status, out[j].Latest)
	})
	return out, nil
}

func reportTooLarge(rows int64) error {
	return &saydo.LimitError{Msg: fmt.Sprintf("the report would hold more than %d periods (%d so far, counting promises and breakdown segments): choose a longer period, a shorter range, one promise or no breakdown",
		saydo.MaxReportPeriods, rows)}
}

func promiseIDs(ws *saydo.Workspace) string {
	s := ""
	for i, p := range ws.Promises {
		if i > 0 {
			s += ", "
		}
		s += p.ID
	}
	return s
}

// ParseGapQuery reads the options of a gap report as people type them, on
// the command line or in a URL: get returns an option's text ("" when
// absent) for promise, period, from, to (both YYYY-MM-DD, to inclusive)
// by and sort (worst or money). Errors name the option without decoration, so callers can
// prefix "--" or not.
func ParseGapQuery(get func(name string) string) (GapQuery, error) {
	q := GapQuery{Promise: get("promise"), By: get("by"), Sort: get("sort")}
	switch q.Sort {
	case "", "money":
	case "worst":
		q.Sort = ""
	default:
		return q, fmt.Errorf("sort %q: want worst (the default: broken first, biggest gap first) or money (revenue at risk first)", q.Sort)
	}
	if p := get("period"); p != "" {
		period, err := saydo.ParsePeriod(p)
		if err != nil {
			return q, fmt.Errorf("period: %v", err)
		}
		q.Period = period
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
		add  int
	}{{"from", &q.From, 0}, {"to", &q.To, 1}} {
		s := get(f.name)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return q, fmt.Errorf("%s %q: want a date as YYYY-MM-DD", f.name, s)
		}
		*f.dst = t.AddDate(0, 0, f.add)
		if f.dst.IsZero() {
			// 0001-01-01 is Go's zero time, which a GapQuery reads as "from
			// the first day with data"; a nanosecond later is the same day
			// as typed, so the range (and its error) is the one asked for.
			*f.dst = f.dst.Add(time.Nanosecond)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, fmt.Errorf("to %s is before from %s", get("to"), get("from"))
	}
	return q, nil
}
