package voice

import (
	"math"
	"sort"

	"github.com/saydo/saydo"
)

// Tally adds up analysed feedback per promise into saydo.PromiseVoice, and
// overall into the iceberg. Feed it with Add; not safe for concurrent use.
type Tally struct {
	// Rates are the complaint rates assumed per severity (default
	// DefaultComplaintRates).
	Rates      ComplaintRates
	promises   map[string]*promiseTally
	complaints map[string]int64
}

type promiseTally struct {
	n, negative, angry          int64
	effort                      map[string]int64
	promoters, detractors, npsN int64
	csatSat, csatN              int64
	cesSum                      float64
	cesN                        int64
	quotes                      []quote
}

type quote struct {
	text  string
	score float64
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
func Severity(a *saydo.Analysis) string {
	if a.Label != "negative" {
		return ""
	}
	if a.Anger || len(a.Effort) > 0 || a.Sentiment <= -0.6 {
		return "serious"
	}
	return "minor"
}

// NewTally returns an empty Tally with the default complaint rates.
func NewTally() *Tally {
	return &Tally{Rates: DefaultComplaintRates(), promises: map[string]*promiseTally{}, complaints: map[string]int64{}}
}

// Add counts one analysed item.
func (t *Tally) Add(f *saydo.Feedback) {
	a := &f.Analysis
	if sev := Severity(a); sev != "" {
		t.complaints[sev]++
	}
	for _, m := range a.Promises {
		pt := t.promises[m.PromiseID]
		if pt == nil {
			pt = &promiseTally{effort: map[string]int64{}}
			t.promises[m.PromiseID] = pt
		}
		pt.n++
		if a.Label == "negative" {
			pt.negative++
		}
		if a.Anger {
			pt.angry++
		}
		for _, e := range a.Effort {
			pt.effort[e]++
		}
		if !math.IsNaN(f.NPS) && f.NPS >= 0 {
			pt.npsN++
			switch {
			case f.NPS >= 9:
				pt.promoters++
			case f.NPS <= 6:
				pt.detractors++
			}
		}
		if !math.IsNaN(f.CSAT) && f.CSAT > 0 {
			pt.csatN++
			if f.CSAT >= 4 {
				pt.csatSat++
			}
		}
		if !math.IsNaN(f.CES) && f.CES > 0 {
			pt.cesN++
			pt.cesSum += f.CES
		}
		if f.Text != "" && a.Label == "negative" {
			pt.addQuote(f.Text, a.Sentiment-boolScore(a.Anger)-0.1*float64(len(a.Effort)))
		}
	}
}

func boolScore(b bool) float64 {
	if b {
		return 0.5
	}
	return 0
}

const maxQuotes = 3

// addQuote keeps the most negative quotes of reasonable length.
func (pt *promiseTally) addQuote(text string, score float64) {
	if len(text) > 280 {
		return
	}
	for _, q := range pt.quotes {
		if q.text == text {
			return
		}
	}
	pt.quotes = append(pt.quotes, quote{text, score})
	sort.SliceStable(pt.quotes, func(i, j int) bool { return pt.quotes[i].score < pt.quotes[j].score })
	if len(pt.quotes) > maxQuotes {
		pt.quotes = pt.quotes[:maxQuotes]
	}
}

// Voices returns what customers say about each promise they mentioned.
// NPS is % promoters (9–10) minus % detractors (0–6); CSAT is the % of
// 4–5 answers; CES is the mean answer (1–7, lower is less effort).
func (t *Tally) Voices() map[string]*saydo.PromiseVoice {
	out := make(map[string]*saydo.PromiseVoice, len(t.promises))
	for id, pt := range t.promises {
		v := &saydo.PromiseVoice{Mentions: pt.n, Effort: pt.effort, Quotes: []string{}}
		if pt.n > 0 {
			v.ShareNegative = round3(float64(pt.negative) / float64(pt.n))
			v.ShareAngry = round3(float64(pt.angry) / float64(pt.n))
		}
		if pt.npsN > 0 {
			x := math.Round(100*float64(pt.promoters-pt.detractors)/float64(pt.npsN)*10) / 10
			v.NPS = &x
		}
		if pt.csatN > 0 {
			x := math.Round(100*float64(pt.csatSat)/float64(pt.csatN)*10) / 10
			v.CSAT = &x
		}
		if pt.cesN > 0 {
			x := math.Round(pt.cesSum/float64(pt.cesN)*100) / 100
			v.CES = &x
		}
		for _, q := range pt.quotes {
			v.Quotes = append(v.Quotes, q.text)
		}
		out[id] = v
	}
	return out
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
		lv := saydo.IcebergLevel{Severity: s, Complaints: t.complaints[s], Rate: r.Rate, Source: r.Source}
		if r.Rate > 0 {
			lv.Dissatisfied = int64(math.Round(float64(lv.Complaints) / r.Rate))
		}
		ib.Complaints += lv.Complaints
		ib.Dissatisfied += lv.Dissatisfied
		ib.Levels = append(ib.Levels, lv)
	}
	return ib
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
