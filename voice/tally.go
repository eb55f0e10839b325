package voice

import (
	"math"
	"sort"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
	"github.com/saydo/saydo/impact"
)

// Tally adds up analysed feedback per promise into saydo.PromiseVoice, and
// overall into the iceberg, with the same counts (saydo.VoiceDay) the store
// keeps per day. Feed it with Add or AddDays; not safe for concurrent use.
type Tally struct {
	// Rates are the complaint rates assumed per severity (default
	// DefaultComplaintRates).
	Rates    ComplaintRates
	promises map[string]*saydo.VoiceDay
	overall  saydo.VoiceDay
}

// ComplaintRate is the share of dissatisfied customers who complain about
// a problem of one severity, with where the figure comes from.
type ComplaintRate struct {
	Rate   float64
	Source string
}

// ComplaintRates holds a ComplaintRate per severity: "minor" and
// "serious".
type ComplaintRates map[string]ComplaintRate

// DefaultComplaintRates returns the rates saydo assumes unless told
// otherwise. They are assumptions, not measurements: about 3% of customers
// with a small problem complain, 30–70% with a serious or costly one
// (TARP studies as quoted in customer-experience literature; the popular
// "only 4%" has no primary source).
func DefaultComplaintRates() ComplaintRates {
	return ComplaintRates{
		"minor":   {Rate: 0.03, Source: "assumption: about 3% of customers with small problems complain (TARP, as quoted)"},
		"serious": {Rate: 0.5, Source: "assumption: 30–70% of customers with serious or costly problems complain (TARP, as quoted); midpoint"},
	}
}

// Severity classifies a negative item: serious when the customer is angry,
// spent effort (called again, was transferred, held long) or is strongly
// negative; minor otherwise; "" when the item is not negative.
func Severity(a *saydo.Analysis) string { return a.Severity() }

// NewTally returns an empty Tally with the default complaint rates.
func NewTally() *Tally {
	return &Tally{Rates: DefaultComplaintRates(), promises: map[string]*saydo.VoiceDay{}}
}

// Add counts one analysed item.
func (t *Tally) Add(f *saydo.Feedback) {
	t.overall.Add(f, true)
	for _, m := range f.Analysis.Promises {
		d := t.promises[m.PromiseID]
		if d == nil {
			d = &saydo.VoiceDay{}
			t.promises[m.PromiseID] = d
		}
		d.Add(f, false)
	}
}

// AddDay merges stored counts: of a promise, or overall when promiseID is
// "".
func (t *Tally) AddDay(promiseID string, d *saydo.VoiceDay) {
	if promiseID == "" {
		t.overall.Merge(d)
		return
	}
	pd := t.promises[promiseID]
	if pd == nil {
		pd = &saydo.VoiceDay{}
		t.promises[promiseID] = pd
	}
	pd.Merge(d)
}

// Overall returns the counts over every item added.
func (t *Tally) Overall() *saydo.VoiceDay { return &t.overall }

// Voices returns what customers say about each promise they mentioned.
// NPS is % promoters (9–10) minus % detractors (0–6); CSAT is the % of
// 4–5 answers; CES is the mean answer (1–7, lower is less effort).
func (t *Tally) Voices() map[string]*saydo.PromiseVoice {
	out := make(map[string]*saydo.PromiseVoice, len(t.promises))
	for id, d := range t.promises {
		out[id] = Intervals(d.Voice(), d)
	}
	return out
}

// Intervals adds to v, d's figures, their 95% intervals: Wilson for the
// shares negative and angry and CSAT (gap.Wilson), the trinomial Wald interval for
// NPS (impact.NPSCounts), Student's t for CES (gap.TInterval, its variance
// from the sum of squares). Each is rounded as its figure is, and left out
// when it cannot be computed.
func Intervals(v *saydo.PromiseVoice, d *saydo.VoiceDay) *saydo.PromiseVoice {
	interval := func(lo, hi, scale, digits float64) *[2]float64 {
		if math.IsNaN(lo) || math.IsNaN(hi) {
			return nil
		}
		r := func(x float64) float64 { return math.Round(x*scale*digits) / digits }
		return &[2]float64{r(lo), r(hi)}
	}
	if d.Items > 0 {
		lo, hi := gap.Wilson(d.Negative, d.Items, 0.95)
		v.NegativeCI = interval(lo, hi, 1, 1000)
		lo, hi = gap.Wilson(d.Angry, d.Items, 0.95)
		v.AngryCI = interval(lo, hi, 1, 1000)
	}
	if d.NPSN > 0 {
		lo, hi := impact.NPSCounts{N: d.NPSN, Promoters: d.Promoters, Detractors: d.Detractors}.Interval()
		v.NPSCI = interval(lo, hi, 1, 10)
	}
	if d.CSATN > 0 {
		lo, hi := gap.Wilson(d.CSATSat, d.CSATN, 0.95)
		v.CSATCI = interval(lo, hi, 100, 10)
	}
	// Every answer is at least 1, so a sum of squares below the count is
	// one not kept (a day summarised before it was).
	if n := float64(d.CESN); d.CESN > 1 && d.CESSumSq >= n {
		mean := d.CESSum / n
		variance := math.Max(0, (d.CESSumSq-n*mean*mean)/(n-1))
		lo, hi := gap.TInterval(mean, variance, d.CESN, 0.95)
		v.CESCI = interval(lo, hi, 1, 100)
	}
	return v
}

// Iceberg estimates dissatisfied customers from the complaints seen.
func (t *Tally) Iceberg() saydo.Iceberg {
	ib := saydo.Iceberg{Assumption: "Complaint rates are assumptions (defaults after TARP studies as quoted in customer-experience literature), not measurements; set your own per severity."}
	sevs := make([]string, 0, len(t.Rates))
	for s := range t.Rates {
		sevs = append(sevs, s)
	}
	sort.Strings(sevs)
	for _, s := range sevs {
		r := t.Rates[s]
		lv := saydo.IcebergLevel{Severity: s, Rate: r.Rate, Source: r.Source}
		switch s {
		case "minor":
			lv.Complaints = t.overall.Minor
		case "serious":
			lv.Complaints = t.overall.Serious
		}
		if r.Rate > 0 {
			lv.Dissatisfied = int64(math.Round(float64(lv.Complaints) / r.Rate))
		}
		ib.Complaints += lv.Complaints
		ib.Dissatisfied += lv.Dissatisfied
		ib.Levels = append(ib.Levels, lv)
	}
	return ib
}
