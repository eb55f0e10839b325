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
		if fp != p.Fingerprint() {
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

// summarise recomputes the day summaries of promises over ranges from the
// raw observations of their metric. With replace, each promise's stored
// summaries are dropped first (a full rebuild).
func summarise(ctx context.Context, st saydo.Store, metric string, promises []*saydo.Promise, ranges []dayRange, replace bool) error {
	for _, r := range ranges {
		acc := make([]map[int64]*saydo.Summary, len(promises))
		for i := range acc {
			acc[i] = map[int64]*saydo.Summary{}
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
				s.Add(o.Value, p.Objective.Meets(o.Value))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, p := range promises {
			var days []saydo.Summary
			if !replace {
				// Days in range that now have no observations are deleted
				// by storing them with N = 0.
				for d := r.from; d.Before(r.to); d = d.AddDate(0, 0, 1) {
					if _, ok := acc[i][d.Unix()]; !ok {
						days = append(days, saydo.Summary{Day: d})
					}
				}
			}
			for _, s := range acc[i] {
				days = append(days, *s)
			}
			sortSummaries(days)
			if err := st.PutSummaries(ctx, p.ID, p.Fingerprint(), days, replace); err != nil {
				return err
			}
		}
	}
	return nil
}
