package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/impact"
)

// outcomeCache is what the report cache keeps per promise and range: the
// counts behind an outcome, from which impact.Compare rebuilds it.
type outcomeCache struct {
	Missed, Kept impact.Group
	// Affected counts distinct customers with a missed experience in the
	// latest period (LatestStart).
	Affected    int64
	LatestStart string
	WithChurn   bool
}

// customerVoice is what one customer said in the report's range.
type customerVoice struct {
	npsAt, csatAt       int64
	nps, csat           float64
	complained, churned bool
}

// foldVoice adds one feedback item (which has a customer) to its
// customer's voice in m: the latest NPS and CSAT answer, whether they
// complained, whether they left (kind churnKind).
func foldVoice(m map[string]customerVoice, f *saydo.Feedback, churnKind string) {
	v, ok := m[f.Customer]
	if !ok {
		v = customerVoice{nps: math.NaN(), csat: math.NaN(), npsAt: math.MinInt64, csatAt: math.MinInt64}
	}
	at := f.At.UnixMilli()
	if !math.IsNaN(f.NPS) && at >= v.npsAt {
		v.nps, v.npsAt = f.NPS, at
	}
	if !math.IsNaN(f.CSAT) && at >= v.csatAt {
		v.csat, v.csatAt = f.CSAT, at
	}
	switch f.Kind {
	case "complaint":
		v.complained = true
	case churnKind:
		v.churned = true
	}
	if !ok {
		m[strings.Clone(f.Customer)] = v
	} else {
		m[f.Customer] = v
	}
}

// attachImpact adds to each promise of rep its outcome (customers who
// experienced a miss against the others), the money at stake in its latest
// period, and the effect of each of its actions.
//
// Over all the evidence (no From or To), the outcome is joined from the
// per-customer state kept at import (customers.go); over a range, it reads
// the range's observations and feedback. Either way the result is kept in
// the store's report cache under a version made of the promise's
// definition, its period figures and the feedback version, so reports read
// it back until the evidence changes (RefreshOutcomes computes it at the
// end of an import).
func attachImpact(ctx context.Context, st saydo.Store, ws *saydo.Workspace, q GapQuery, rep *saydo.GapReport) error {
	fv, err := st.FeedbackVersion(ctx)
	if err != nil {
		return err
	}
	churnKind, churnMetric, churnVersion, err := churnSources(ctx, st, ws)
	if err != nil {
		return err
	}
	type job struct {
		i             int
		pg            *saydo.PromiseGap
		p             *saydo.Promise
		name, version string
	}
	var stale []job
	cached := make([]*outcomeCache, len(rep.Promises))
	for i := range rep.Promises {
		pg := &rep.Promises[i]
		p, _ := ws.Promise(pg.ID)
		for _, a := range p.Actions {
			pg.Actions = append(pg.Actions, impact.ActionEffect(a, pg.Periods))
		}
		if len(pg.Periods) == 0 {
			continue
		}
		if ok, err := isLinked(ctx, st, p.Metric); err != nil {
			return err
		} else if !ok {
			continue // no observation of the metric names a customer
		}
		name, version := outcomeKey(p, q, pg, fv, churnVersion)
		v, body, err := st.CachedReport(ctx, name)
		if err != nil {
			return err
		}
		if v == version {
			var c outcomeCache
			if err := json.Unmarshal(body, &c); err == nil {
				cached[i] = &c
				continue
			}
		}
		stale = append(stale, job{i, pg, p, name, version})
	}
	if len(stale) > 0 && q.From.IsZero() && q.To.IsZero() {
		// Over all the evidence: join the per-customer state kept at
		// import (customers.go) instead of reading every observation.
		cs, err := loadCustomerState(ctx, st, voicesVersion(churnVersion, fv), churnKind, churnMetric)
		if err != nil {
			return fmt.Errorf("customer state: %w", err)
		}
		for _, j := range stale {
			ps, err := cs.promise(ctx, j.p)
			if err != nil {
				return err
			}
			c := &outcomeCache{WithChurn: cs.withChurn}
			c.Missed, c.Kept = cs.join(ps)
			if l := j.pg.Latest; l != nil {
				c.LatestStart = l.Start.Format(time.DateOnly)
				if c.Affected, err = affected(ctx, st, j.p, l.Start, l.End); err != nil {
					return err
				}
			}
			body, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if err := st.PutCachedReport(ctx, j.name, j.version, body); err != nil {
				return err
			}
			cached[j.i] = c
		}
		stale = nil
	}
	if len(stale) > 0 {
		voices, err := readCustomerVoices(ctx, st, q.From, q.To, churnKind)
		if err != nil {
			return err
		}
		if churnMetric != "" {
			if err := readChurnMetric(ctx, st, churnMetric, q.From, q.To, voices); err != nil {
				return err
			}
		}
		for _, j := range stale {
			c, err := computeOutcome(ctx, st, j.p, j.pg, voices)
			if err != nil {
				return fmt.Errorf("outcome of %s: %w", j.p.ID, err)
			}
			body, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if err := st.PutCachedReport(ctx, j.name, j.version, body); err != nil {
				return err
			}
			cached[j.i] = c
		}
	}
	var total saydo.ReportImpact
	for i := range rep.Promises {
		pg, c := &rep.Promises[i], cached[i]
		if c == nil || c.Missed.Customers+c.Kept.Customers == 0 {
			continue // no customer ids on this promise's evidence
		}
		o := impact.Compare(c.Missed, c.Kept, c.WithChurn)
		pg.Outcome = &o
		m := impact.Money(ws.Impact, c.LatestStart, c.Affected, &o)
		pg.Impact = &m
		total.Add(&m)
	}
	if total.Promises > 0 {
		rep.Impact = &total
	}
	return nil
}

// churnSources returns where churn is measured from (a feedback kind and
// perhaps a metric) and a version that changes with them and with the
// churn metric's observations.
func churnSources(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (kind, metric, version string, err error) {
	kind = saydo.DefaultChurnKind
	if ws.Impact != nil {
		if ws.Impact.ChurnKind != "" {
			kind = ws.Impact.ChurnKind
		}
		metric = ws.Impact.ChurnMetric
	}
	version = kind
	if metric != "" {
		first, last, n, err := st.ObservationSpan(ctx, metric)
		if err != nil {
			return "", "", "", err
		}
		version += fmt.Sprintf("|%s|%d|%d|%d", metric, first.UnixMilli(), last.UnixMilli(), n)
	}
	return kind, metric, version, nil
}

// voicesVersion is the version of the customers' voices: the churn
// sources and the feedback version they account for.
func voicesVersion(churnVersion string, feedbackVersion int64) string {
	return "v2|" + churnVersion + "|" + strconv.FormatInt(feedbackVersion, 10)
}

// outcomeKey names a promise's cached outcome for a range and the version
// of the evidence it must have been computed from.
func outcomeKey(p *saydo.Promise, q GapQuery, pg *saydo.PromiseGap, feedbackVersion int64, churnKind string) (name, version string) {
	from, to := pg.Periods[0].Start, pg.Periods[len(pg.Periods)-1].End
	name = "outcome|" + p.ID + "|" + from.Format(time.DateOnly) + "|" + to.Format(time.DateOnly)
	h := fnv.New64a()
	fmt.Fprintf(h, "v1|%s|%s|%d|%s|", p.Fingerprint(), churnKind, feedbackVersion, rangeText(q))
	if pg.Latest != nil {
		fmt.Fprintf(h, "latest %s|", pg.Latest.Start.Format(time.DateOnly))
	}
	for _, per := range pg.Periods {
		fmt.Fprintf(h, "%d,%d,%d,%x|", per.Start.Unix(), per.N, per.Met, math.Float64bits(per.Mean))
	}
	return name, fmt.Sprintf("%016x", h.Sum64())
}

func rangeText(q GapQuery) string {
	var b strings.Builder
	if !q.From.IsZero() {
		b.WriteString(q.From.Format(time.DateOnly))
	}
	b.WriteByte('/')
	if !q.To.IsZero() {
		b.WriteString(q.To.Format(time.DateOnly))
	}
	return b.String()
}

// readCustomerVoices reads what each customer said in [from, to): their
// latest NPS and CSAT answers, whether they complained and whether they
// left.
func readCustomerVoices(ctx context.Context, st saydo.Store, from, to time.Time, churnKind string) (map[string]customerVoice, error) {
	out := map[string]customerVoice{}
	err := st.ScanFeedback(ctx, from, to, func(f *saydo.Feedback) error {
		if f.Customer == "" {
			return nil
		}
		foldVoice(out, f, churnKind)
		return nil
	})
	return out, err
}

// readChurnMetric marks as churned the customers with a non-zero
// observation of the churn metric in [from, to).
func readChurnMetric(ctx context.Context, st saydo.Store, metric string, from, to time.Time, voices map[string]customerVoice) error {
	if from.IsZero() {
		from = time.Unix(-1<<40, 0)
	}
	if to.IsZero() {
		to = farFuture
	}
	return st.ScanObservations(ctx, metric, from, to, func(o *saydo.Observation) error {
		if o.Customer == "" || o.Value == 0 {
			return nil
		}
		v, ok := voices[o.Customer]
		if !ok {
			v = customerVoice{nps: math.NaN(), csat: math.NaN(), npsAt: math.MinInt64, csatAt: math.MinInt64}
		}
		v.churned = true
		if !ok {
			voices[strings.Clone(o.Customer)] = v
		} else {
			voices[o.Customer] = v
		}
		return nil
	})
}

// computeOutcome reads the promise's observations over its report periods
// and splits their customers into those with at least one missed
// experience and those whose experiences all met the promise.
func computeOutcome(ctx context.Context, st saydo.Store, p *saydo.Promise, pg *saydo.PromiseGap, voices map[string]customerVoice) (*outcomeCache, error) {
	from, to := pg.Periods[0].Start, pg.Periods[len(pg.Periods)-1].End
	c := &outcomeCache{}
	var latestFrom, latestTo time.Time
	if pg.Latest != nil {
		latestFrom, latestTo = pg.Latest.Start, pg.Latest.End
		c.LatestStart = latestFrom.Format(time.DateOnly)
	}
	missed := map[string]bool{}
	affected := map[string]struct{}{}
	err := st.ScanObservations(ctx, p.Metric, from, to, func(o *saydo.Observation) error {
		if o.Customer == "" {
			return nil
		}
		if !p.Holds(o.At) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) {
			return nil
		}
		miss := !p.Objective.Meets(o.Value)
		was, seen := missed[o.Customer]
		if !seen {
			missed[strings.Clone(o.Customer)] = miss
		} else if miss && !was {
			missed[o.Customer] = true
		}
		if miss && !o.At.Before(latestFrom) && o.At.Before(latestTo) {
			if _, ok := affected[o.Customer]; !ok {
				affected[strings.Clone(o.Customer)] = struct{}{}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.Affected = int64(len(affected))
	for _, v := range voices {
		if v.churned {
			c.WithChurn = true
			break
		}
	}
	for cust, miss := range missed {
		g := &c.Kept
		if miss {
			g = &c.Missed
		}
		g.Customers++
		v, ok := voices[cust]
		if !ok {
			continue
		}
		if !math.IsNaN(v.nps) {
			g.NPS.Add(v.nps)
		}
		if !math.IsNaN(v.csat) {
			g.CSATAnswers++
			if v.csat >= 4 {
				g.CSATSatisfied++
			}
		}
		if v.complained {
			g.Complained++
		}
		if v.churned {
			g.Churned++
		}
	}
	return c, nil
}

// linkedName names the report cache entry that records that observations
// of a metric carry customer ids: imports set it, so reports on evidence
// without customers never read it all to find none.
func linkedName(metric string) string { return "customers|" + metric }

func markLinked(ctx context.Context, st saydo.Store, metrics map[string]bool) error {
	for m := range metrics {
		if v, _, err := st.CachedReport(ctx, linkedName(m)); err != nil {
			return err
		} else if v == "" {
			if err := st.PutCachedReport(ctx, linkedName(m), "1", []byte{}); err != nil {
				return err
			}
		}
	}
	return nil
}

func isLinked(ctx context.Context, st saydo.Store, metric string) (bool, error) {
	v, _, err := st.CachedReport(ctx, linkedName(metric))
	return v != "", err
}

// RefreshOutcomes computes and caches the outcome of every promise over
// its whole evidence, so the next report reads it back; imports call it
// after refreshing summaries.
func RefreshOutcomes(ctx context.Context, st saydo.Store, ws *saydo.Workspace, now time.Time) error {
	_, err := GapReport(ctx, st, ws, GapQuery{}, now)
	return err
}
