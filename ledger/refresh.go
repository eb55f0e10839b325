package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/saydo/saydo"
)

// Refresh brings every promise's per-day summaries up to date with the raw
// observations: days imported since the last refresh are summarised again,
// and a promise whose definition changed (another threshold, where, since
// or until) is summarised from scratch. It is cheap when nothing changed,
// and safe to run at any time, including after a crashed import.
func Refresh(ctx context.Context, st saydo.Store, ws *saydo.Workspace) error {
	byMetric := map[string][]*saydo.Promise{}
	for i := range ws.Promises {
		p := &ws.Promises[i]
		byMetric[p.Metric] = append(byMetric[p.Metric], p)
	}
	for _, metric := range ws.Metrics() {
		if err := refreshMetric(ctx, st, metric, byMetric[metric]); err != nil {
			return fmt.Errorf("refresh summaries of %s: %w", metric, err)
		}
	}
	return nil
}

func refreshMetric(ctx context.Context, st saydo.Store, metric string, promises []*saydo.Promise) error {
	dirty, mark, err := st.DirtyDays(ctx, metric)
	if err != nil {
		return err
	}
	var stale, current []*saydo.Promise
	for _, p := range promises {
		fp, _, err := st.Summaries(ctx, p.ID, farFuture, farFuture)
		if err != nil {
			return err
		}
		_, segCurrent, err := loadSegments(ctx, st, p.ID, p.Fingerprint())
		if err != nil {
			return err
		}
		if fp != p.Fingerprint() || !segCurrent {
			// Stale, or its segments do not cover its evidence yet (a
			// store from before per-segment summaries): rebuild both.
			stale = append(stale, p)
		} else {
			current = append(current, p)
		}
	}
	if len(stale) > 0 {
		// Summarise every day of the stale promises from scratch.
		if err := summarise(ctx, st, metric, stale, []dayRange{{}}, true); err != nil {
			return err
		}
	}
	if len(dirty) > 0 && len(current) > 0 {
		if err := summarise(ctx, st, metric, current, coalesce(dirty), false); err != nil {
			return err
		}
	}
	if len(dirty) > 0 {
		return st.ClearDirty(ctx, metric, mark)
	}
	return nil
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// dayRange is [from, to) in whole UTC days; zero times mean unbounded.
type dayRange struct{ from, to time.Time }

// coalesce turns sorted or unsorted days into contiguous ranges.
func coalesce(days []time.Time) []dayRange {
	sorted := append([]time.Time(nil), days...)
	sortTimes(sorted)
	var out []dayRange
	for _, d := range sorted {
		next := d.AddDate(0, 0, 1)
		if n := len(out); n > 0 && !d.After(out[n-1].to) {
			if next.After(out[n-1].to) {
				out[n-1].to = next
			}
			continue
		}
		out = append(out, dayRange{d, next})
	}
	return out
}

// summarise recomputes the day summaries of promises, and of their
// segments, over ranges from the raw observations of their metric. With
// replace, each promise's stored summaries and segment summaries are
// dropped first (a full rebuild).
func summarise(ctx context.Context, st saydo.Store, metric string, promises []*saydo.Promise, ranges []dayRange, replace bool) error {
	segs := make([]*segments, len(promises))
	for i, p := range promises {
		if replace {
			segs[i] = &segments{values: map[string]map[string]bool{}, tooMany: map[string]bool{}}
			continue
		}
		seg, _, err := loadSegments(ctx, st, p.ID, p.Fingerprint())
		if err != nil {
			return err
		}
		segs[i] = seg
	}
	for _, r := range ranges {
		acc := make([]map[int64]*saydo.Summary, len(promises))
		segAcc := make([]map[string]map[int64]*saydo.Summary, len(promises))
		for i := range acc {
			acc[i] = map[int64]*saydo.Summary{}
			segAcc[i] = map[string]map[int64]*saydo.Summary{}
		}
		from, to := r.from, r.to
		if from.IsZero() {
			from = time.Unix(-1<<40, 0)
		}
		if to.IsZero() {
			to = farFuture
		}
		err := st.ScanObservations(ctx, metric, from, to, func(o *saydo.Observation) error {
			day := saydo.DayOf(o.At)
			for i, p := range promises {
				if !p.Holds(day) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) {
					continue
				}
				s := acc[i][day.Unix()]
				if s == nil {
					s = &saydo.Summary{Day: day}
					acc[i][day.Unix()] = s
				}
				if s.AddObservation(o, p.Objective, true) {
					segs[i].add(p, o, day, segAcc[i])
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, p := range promises {
			segs[i].resetCache()
			if err := st.PutSummaries(ctx, p.ID, p.Fingerprint(), dayList(acc[i], r, replace), replace); err != nil {
				return err
			}
			if err := putSegments(ctx, st, p, segs[i], segAcc[i], r, replace); err != nil {
				return err
			}
		}
	}
	return nil
}

// dayList turns accumulated days into a sorted list; without replace, days
// in range that now have no observations are included with N = 0, which
// deletes them.
func dayList(acc map[int64]*saydo.Summary, r dayRange, replace bool) []saydo.Summary {
	var days []saydo.Summary
	if !replace {
		for d := r.from; d.Before(r.to); d = d.AddDate(0, 0, 1) {
			if _, ok := acc[d.Unix()]; !ok {
				days = append(days, saydo.Summary{Day: d})
			}
		}
	}
	for _, s := range acc {
		days = append(days, *s)
	}
	sortSummaries(days)
	return days
}

// putSegments stores the segment summaries of one promise computed over r.
func putSegments(ctx context.Context, st saydo.Store, p *saydo.Promise, seg *segments, acc map[string]map[int64]*saydo.Summary, r dayRange, replace bool) error {
	fp := p.Fingerprint()
	if replace {
		old, err := st.SummaryIDs(ctx, saydo.SegmentPrefix(p.ID))
		if err != nil {
			return err
		}
		for _, id := range old {
			if err := st.PutSummaries(ctx, id, "", nil, true); err != nil {
				return err
			}
		}
		for attr := range seg.tooMany {
			if err := st.PutSummaries(ctx, saydo.SegmentAttrID(p.ID, attr), saydo.TooManyValues, nil, true); err != nil {
				return err
			}
		}
		seg.overflowed = nil
	} else if err := seg.settle(ctx, st, p.ID); err != nil {
		return err
	}
	for attr, values := range seg.values {
		if seg.tooMany[attr] {
			continue
		}
		for v := range values {
			id := saydo.SegmentSummaryID(p.ID, attr, v)
			if err := st.PutSummaries(ctx, id, fp, dayList(acc[id], r, replace), replace); err != nil {
				return err
			}
		}
	}
	if replace {
		// The segments now cover every observation of the promise.
		return st.PutSummaries(ctx, saydo.SegmentPrefix(p.ID), fp, nil, true)
	}
	return nil
}
