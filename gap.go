package saydo

import (
	"encoding/json"
	"math"
	"time"
)

// Status is the verdict on a promise for a period.
type Status string

// The verdicts, from SPEC.md's gap semantics.
const (
	Kept   Status = "kept"
	AtRisk Status = "at_risk"
	Broken Status = "broken"
	NoData Status = "no_data"
)

// Severity ranks statuses as a CX lead reads them: broken (0), at risk,
// kept, no data (3).
func (s Status) Severity() int {
	switch s {
	case Broken:
		return 0
	case AtRisk:
		return 1
	case Kept:
		return 2
	}
	return 3
}

// WorseThan orders two promises (or segments) worst first: by the
// severity of their status, then by the gap of their latest period.
func WorseThan(a Status, aLatest *PeriodGap, b Status, bLatest *PeriodGap) bool {
	if a.Severity() != b.Severity() {
		return a.Severity() < b.Severity()
	}
	return latestGap(aLatest) > latestGap(bLatest)
}

// latestGap is the gap of a period, or −∞ when there is none to compare.
func latestGap(p *PeriodGap) float64 {
	if p == nil || math.IsNaN(p.Gap) {
		return math.Inf(-1)
	}
	return p.Gap
}

// Direction says whether a gap is growing or shrinking across periods.
type Direction string

// Trend directions. Unknown means fewer than three periods had data.
const (
	Widening  Direction = "widening"
	Narrowing Direction = "narrowing"
	Steady    Direction = "steady"
	Unknown   Direction = "unknown"
)

// Trend is the change of a promise's gap across the periods of a report.
type Trend struct {
	Direction Direction `json:"direction"`
	// Slope is the change of the gap per period.
	Slope  float64 `json:"slope"`
	PValue float64 `json:"p_value"`
	// Test names the significance test used.
	Test string `json:"test"`
	// Periods is the number of periods with data the test used.
	Periods int `json:"periods"`
}

// MarshalJSON writes NaN figures as null.
func (t Trend) MarshalJSON() ([]byte, error) {
	type plain struct {
		Direction Direction `json:"direction"`
		Slope     *float64  `json:"slope"`
		PValue    *float64  `json:"p_value"`
		Test      string    `json:"test"`
		Periods   int       `json:"periods"`
	}
	return json.Marshal(plain{t.Direction, num(t.Slope), num(t.PValue), t.Test, t.Periods})
}

// PeriodGap is the gap of one promise over one period.
type PeriodGap struct {
	Start time.Time // inclusive, midnight UTC
	End   time.Time // exclusive
	N     int64
	// Met counts observations meeting the threshold (for mean objectives:
	// observations on the right side of the target mean).
	Met int64
	// Delivered is met/n for threshold objectives, the mean for mean
	// objectives; NaN when n = 0.
	Delivered float64
	// CI is the 95% interval of Delivered (Wilson for shares, t for means);
	// NaN when it cannot be computed.
	CI     [2]float64
	Gap    float64
	Mean   float64
	P50    float64
	P90    float64
	Status Status
}

// MarshalJSON writes dates as YYYY-MM-DD and NaN figures as null.
func (p PeriodGap) MarshalJSON() ([]byte, error) {
	type plain struct {
		Start     string      `json:"start"`
		End       string      `json:"end"`
		N         int64       `json:"n"`
		Met       int64       `json:"met"`
		Delivered *float64    `json:"delivered"`
		CI        *[2]float64 `json:"ci"`
		Gap       *float64    `json:"gap"`
		Mean      *float64    `json:"mean"`
		P50       *float64    `json:"p50"`
		P90       *float64    `json:"p90"`
		Status    Status      `json:"status"`
	}
	var ci *[2]float64
	if !math.IsNaN(p.CI[0]) && !math.IsNaN(p.CI[1]) {
		ci = &p.CI
	}
	return json.Marshal(plain{p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), p.N, p.Met,
		num(p.Delivered), ci, num(p.Gap), num(p.Mean), num(p.P50), num(p.P90), p.Status})
}

// UnmarshalJSON reads what MarshalJSON writes; null figures become NaN.
func (p *PeriodGap) UnmarshalJSON(b []byte) error {
	var v struct {
		Start, End                     string
		N, Met                         int64
		Delivered, Gap, Mean, P50, P90 *float64
		CI                             *[2]float64
		Status                         Status
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	var err error
	if p.Start, err = time.Parse(time.DateOnly, v.Start); err != nil {
		return err
	}
	if p.End, err = time.Parse(time.DateOnly, v.End); err != nil {
		return err
	}
	nan := math.NaN()
	val := func(f *float64) float64 {
		if f == nil {
			return nan
		}
		return *f
	}
	p.N, p.Met, p.Status = v.N, v.Met, v.Status
	p.Delivered, p.Gap, p.Mean, p.P50, p.P90 = val(v.Delivered), val(v.Gap), val(v.Mean), val(v.P50), val(v.P90)
	p.CI = [2]float64{nan, nan}
	if v.CI != nil {
		p.CI = *v.CI
	}
	return nil
}

func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// PromiseGap is the gap report of one promise: every period in range, the
// latest with data, the verdict and the trend.
type PromiseGap struct {
	ID          string      `json:"id"`
	Says        string      `json:"says"`
	Metric      string      `json:"metric"`
	Owner       string      `json:"owner"`
	DeliveredBy []string    `json:"delivered_by"`
	Stage       Stage       `json:"stage,omitempty"`
	Objective   Objective   `json:"objective"`
	Period      Period      `json:"period"`
	Status      Status      `json:"status"`
	Trend       Trend       `json:"trend"`
	Latest      *PeriodGap  `json:"latest"`
	Periods     []PeriodGap `json:"periods"`
	// Breakdown is the gap per value of the report's --by attribute.
	Breakdown []SegmentGap `json:"breakdown,omitempty"`
	// Voice is what customers say about the promise, when feedback exists.
	Voice *PromiseVoice `json:"voice,omitempty"`
	// Outcome compares customers who experienced a miss with those who
	// did not, when observations and feedback carry customer ids.
	Outcome *Outcome `json:"outcome,omitempty"`
	// Impact is the money at stake in the latest complete period.
	Impact *PromiseImpact `json:"impact,omitempty"`
	// Actions estimates the gap's change at each of the promise's actions.
	Actions []ActionEffect `json:"actions,omitempty"`
}

// SegmentGap is the gap of one promise among the observations with one
// value of an attribute (region=north).
type SegmentGap struct {
	Value   string      `json:"value"`
	Status  Status      `json:"status"`
	Trend   Trend       `json:"trend"`
	Latest  *PeriodGap  `json:"latest"`
	Periods []PeriodGap `json:"periods"`
}

// GapReport is the output of `saydo gap`.
type GapReport struct {
	GeneratedAt time.Time `json:"generated_at"`
	// Period is the --period override, or "promise" when each promise uses
	// its own period.
	Period string `json:"period"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	// DataFrom and DataTo are the first and last day with evidence among
	// the promises reported (YYYY-MM-DD), empty when there is none.
	DataFrom string `json:"data_from,omitempty"`
	DataTo   string `json:"data_to,omitempty"`
	By       string `json:"by,omitempty"`
	// Sort is "money" when promises are ordered by revenue at risk.
	Sort     string       `json:"sort,omitempty"`
	Promises []PromiseGap `json:"promises"`
	// Impact totals the money at stake, when evidence carries customer ids.
	Impact *ReportImpact `json:"impact,omitempty"`
}
