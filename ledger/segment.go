package ledger

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
)

// Per-segment summaries: besides its own day summaries, each promise keeps
// day summaries per value of each attribute with at most
// saydo.MaxSegmentValues values (region, channel, product), through the same
// SummaryStore under saydo.SegmentSummaryID ids, updated by the same
// imports and refreshes. The id saydo.SegmentPrefix(promise) carries the
// promise's fingerprint once its segments cover all its evidence; an
// attribute with too many values is marked under saydo.SegmentAttrID with
// saydo.TooManyValues and has no segment summaries.

// segments is what is known of one promise's segments.
type segments struct {
	values  map[string]map[string]bool // attribute -> values with summaries
	tooMany map[string]bool
	// overflowed lists attributes found to have too many values during
	// this run, to mark and drop afterwards.
	overflowed []string
	// cache holds, per shared attribute set (importers intern them) and
	// for one day, the summaries its rows add to; reset with resetCache.
	cache map[attrsKey]*segCache
}

type attrsKey struct {
	first *saydo.Attr
	n     int
}

type segCache struct {
	day  int64
	ids  []string // per attribute of the set; "" when not kept
	sums []*saydo.Summary
}

// resetCache forgets cached summaries (their maps were flushed).
func (s *segments) resetCache() { clear(s.cache) }

// loadSegments reads the segment ids of a promise; current reports
// whether they cover the promise's evidence under fingerprint fp.
func loadSegments(ctx context.Context, st saydo.Store, promiseID, fp string) (seg *segments, current bool, err error) {
	seg = &segments{values: map[string]map[string]bool{}, tooMany: map[string]bool{}}
	root, _, err := st.Summaries(ctx, saydo.SegmentPrefix(promiseID), farFuture, farFuture)
	if err != nil {
		return nil, false, err
	}
	ids, err := st.SummaryIDs(ctx, saydo.SegmentPrefix(promiseID))
	if err != nil {
		return nil, false, err
	}
	for _, id := range ids {
		pid, attr, value, marker, ok := saydo.ParseSegmentID(id)
		if !ok || pid != promiseID || attr == "" {
			continue
		}
		if marker {
			seg.tooMany[attr] = true
			continue
		}
		if seg.values[attr] == nil {
			seg.values[attr] = map[string]bool{}
		}
		seg.values[attr][value] = true
	}
	return seg, root == fp, nil
}

// admit reports whether the segment attr=value of promise p keeps
// summaries, learning new values until the attribute has too many.
func (s *segments) admit(p *saydo.Promise, attr, value string) bool {
	if s.tooMany[attr] {
		return false
	}
	if _, fixed := p.Where[attr]; fixed {
		return false // every observation of the promise has this value
	}
	vals := s.values[attr]
	if vals[value] {
		return true
	}
	if len(vals) >= saydo.MaxSegmentValues {
		s.tooMany[attr] = true
		s.overflowed = append(s.overflowed, attr)
		// Cached ids of this attribute are stale now.
		clear(s.cache)
		return false
	}
	if vals == nil {
		vals = map[string]bool{}
		s.values[attr] = vals
	}
	vals[value] = true
	return true
}

// add counts o, already counted for p on day, in the day summaries of its
// segments in acc (segment id -> day -> summary).
func (s *segments) add(p *saydo.Promise, o *saydo.Observation, day time.Time, acc map[string]map[int64]*saydo.Summary) {
	if len(o.Attrs) == 0 {
		return
	}
	k := attrsKey{&o.Attrs[0], len(o.Attrs)}
	c := s.cache[k]
	if c != nil && c.day == day.Unix() {
		for _, sum := range c.sums {
			if sum != nil {
				sum.AddObservation(o, p.Objective, false)
			}
		}
		return
	}
	if c == nil {
		if s.cache == nil {
			s.cache = map[attrsKey]*segCache{}
		}
		if len(s.cache) > 4096 {
			clear(s.cache)
		}
		c = &segCache{ids: make([]string, len(o.Attrs)), sums: make([]*saydo.Summary, len(o.Attrs))}
		for i, a := range o.Attrs {
			if s.admit(p, a.Name, a.Value) {
				c.ids[i] = saydo.SegmentSummaryID(p.ID, a.Name, a.Value)
			}
		}
		s.cache[k] = c
	}
	c.day = day.Unix()
	for i, id := range c.ids {
		c.sums[i] = nil
		if id == "" {
			continue
		}
		days := acc[id]
		if days == nil {
			days = map[int64]*saydo.Summary{}
			acc[id] = days
		}
		sum := days[day.Unix()]
		if sum == nil {
			sum = &saydo.Summary{Day: day}
			days[day.Unix()] = sum
		}
		c.sums[i] = sum
		sum.AddObservation(o, p.Objective, false)
	}
}

// settle marks the attributes that overflowed in this run and drops their
// segment summaries (outside any import transaction).
func (s *segments) settle(ctx context.Context, st saydo.Store, promiseID string) error {
	for _, attr := range s.overflowed {
		if err := st.PutSummaries(ctx, saydo.SegmentAttrID(promiseID, attr), saydo.TooManyValues, nil, true); err != nil {
			return err
		}
		for v := range s.values[attr] {
			if err := st.PutSummaries(ctx, saydo.SegmentSummaryID(promiseID, attr, v), "", nil, true); err != nil {
				return err
			}
		}
		delete(s.values, attr)
	}
	s.overflowed = nil
	return nil
}

// SegmentAlpha is the one-sided level at which a segment is broken after
// the correction for many segments: 2.5%, the level at which a 95%
// two-sided interval lies wholly short of the objective (SPEC's broken).
const SegmentAlpha = 0.025

// SegmentCorrection names the correction for testing many segments.
const SegmentCorrection = "Holm"

// brokenSegments finds the segments of a promise whose period starting at
// latest.Start is broken while the promise is not: every segment with
// summaries is tested one-sided against the objective (gap.ShortfallP) and
// the p-values are adjusted by Holm's step-down method over all of them,
// so the chance of naming any segment wrongly stays under 2.5%.
func brokenSegments(ctx context.Context, st saydo.Store, p *saydo.Promise, pg *saydo.PromiseGap) ([]saydo.BrokenSegment, error) {
	out := []saydo.BrokenSegment{}
	if pg.Latest == nil || pg.Status == saydo.Broken {
		return out, nil
	}
	seg, current, err := loadSegments(ctx, st, p.ID, p.Fingerprint())
	if err != nil || !current {
		return out, err
	}
	l := pg.Latest
	var cands []saydo.BrokenSegment
	attrs := make([]string, 0, len(seg.values))
	for a := range seg.values {
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	for _, attr := range attrs {
		values := make([]string, 0, len(seg.values[attr]))
		for v := range seg.values[attr] {
			values = append(values, v)
		}
		sort.Strings(values)
		for _, v := range values {
			_, days, err := st.Summaries(ctx, saydo.SegmentSummaryID(p.ID, attr, v), l.Start, l.End)
			if err != nil {
				return nil, fmt.Errorf("segment %s=%s: %w", attr, v, err)
			}
			var sum saydo.Summary
			for i := range days {
				sum.Merge(&days[i])
			}
			if sum.N == 0 {
				continue
			}
			e := gap.Evaluate(p.Objective, l.Start, l.End, &sum)
			cands = append(cands, saydo.BrokenSegment{Attr: attr, Value: v, Start: l.Start, N: e.N, Met: e.Met,
				Delivered: e.Delivered, CI: e.CI, Gap: e.Gap, Status: e.Status, PValue: gap.ShortfallP(p.Objective, &sum)})
		}
	}
	ps := make([]float64, len(cands))
	for i := range cands {
		ps[i] = cands[i].PValue
	}
	adj := gap.Holm(ps)
	for i := range cands {
		cands[i].AdjustedP = adj[i]
		if adj[i] < SegmentAlpha && cands[i].Status == saydo.Broken {
			out = append(out, cands[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Gap > out[j].Gap })
	return out, nil
}
