package saydo

import (
	"encoding/json"
	"fmt"
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

// Trend is the change of a promise's gap across the periods of a report:
// the direction of its current regime, since when, and the whole-range fit.
type Trend struct {
	// Direction is the direction of the current regime: the last segment
	// of the gap series after its change points.
	Direction Direction `json:"direction"`
	// Since is the first day of the period where the current regime
	// starts; with no change point, the start of the range (the report's
	// from, or the first day with data); zero when the direction is
	// unknown.
	Since time.Time `json:"since"`
	// Slope is the change of the gap per period in the current regime.
	Slope  float64 `json:"slope"`
	PValue float64 `json:"p_value"`
	// Test names the method: the change-point search and the slope test.
	Test string `json:"test"`
	// Periods is the number of complete periods with data the method used.
	Periods int `json:"periods"`
	// Breaks are the first days of the periods where a new regime starts,
	// oldest first (empty when the series has one regime).
	Breaks []time.Time `json:"breaks"`
	// Overall is the straight-line fit through the whole range.
	Overall TrendFit `json:"overall"`
	// Autocorrelation is the lag-1 autocorrelation of the periods around
	// the fitted segments that the slope tests allowed for (0: none found,
	// or negative; at most gap.MaxAutocorrelation).
	Autocorrelation float64 `json:"autocorrelation"`
}

// TrendFit is one straight-line fit of the gap on the period index, with
// the direction its slope test gives.
type TrendFit struct {
	Direction Direction `json:"direction"`
	Slope     float64   `json:"slope"`
	PValue    float64   `json:"p_value"`
}

// MarshalJSON writes NaN figures as null.
func (f TrendFit) MarshalJSON() ([]byte, error) {
	type plain struct {
		Direction Direction `json:"direction"`
		Slope     *float64  `json:"slope"`
		PValue    *float64  `json:"p_value"`
	}
	return json.Marshal(plain{f.Direction, num(f.Slope), num(f.PValue)})
}

// StreakAutocorrelation is the autocorrelation from which reports say a
// promise's periods run in streaks: below it the allowance changes little.
const StreakAutocorrelation = 0.3

// StreakNote says, from StreakAutocorrelation on, that the periods run in
// streaks and the trend allows for it: "weeks run in streaks (lag-1
// autocorrelation 0.45): the trend allows for it, so a run of bad weeks is
// not read as a trend"; "" below it.
func (t Trend) StreakNote(p Period) string {
	if t.Autocorrelation < StreakAutocorrelation {
		return ""
	}
	return fmt.Sprintf("%ss run in streaks (lag-1 autocorrelation %.2f): the trend allows for it, so a run of bad %ss is not read as a trend",
		p, t.Autocorrelation, p)
}

// MarshalJSON writes NaN figures as null and days as YYYY-MM-DD.
func (t Trend) MarshalJSON() ([]byte, error) {
	type plain struct {
		Direction Direction `json:"direction"`
		Since     *string   `json:"since"`
		Slope     *float64  `json:"slope"`
		PValue    *float64  `json:"p_value"`
		Test      string    `json:"test"`
		Periods   int       `json:"periods"`
		Breaks    []string  `json:"breaks"`
		Overall   TrendFit  `json:"overall"`
		Autocorr  float64   `json:"autocorrelation"`
	}
	var since *string
	if !t.Since.IsZero() {
		s := t.Since.Format(time.DateOnly)
		since = &s
	}
	breaks := make([]string, len(t.Breaks))
	for i, b := range t.Breaks {
		breaks[i] = b.Format(time.DateOnly)
	}
	return json.Marshal(plain{t.Direction, since, num(t.Slope), num(t.PValue), t.Test, t.Periods, breaks, t.Overall, t.Autocorrelation})
}

// UnmarshalJSON reads what MarshalJSON writes; null figures become NaN.
func (t *Trend) UnmarshalJSON(b []byte) error {
	var v struct {
		Direction Direction
		Since     *string
		Slope     *float64
		PValue    *float64 `json:"p_value"`
		Test      string
		Periods   int
		Breaks    []string
		Overall   struct {
			Direction Direction
			Slope     *float64
			PValue    *float64 `json:"p_value"`
		}
		Autocorrelation float64
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = Trend{Direction: v.Direction, Slope: orNaN(v.Slope), PValue: orNaN(v.PValue), Test: v.Test, Periods: v.Periods,
		Overall:         TrendFit{Direction: v.Overall.Direction, Slope: orNaN(v.Overall.Slope), PValue: orNaN(v.Overall.PValue)},
		Autocorrelation: v.Autocorrelation}
	if v.Since != nil {
		d, err := time.Parse(time.DateOnly, *v.Since)
		if err != nil {
			return err
		}
		t.Since = d
	}
	t.Breaks = make([]time.Time, 0, len(v.Breaks))
	for _, s := range v.Breaks {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return err
		}
		t.Breaks = append(t.Breaks, d)
	}
	return nil
}

func orNaN(f *float64) float64 {
	if f == nil {
		return math.NaN()
	}
	return *f
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
	// Partial is true when the evidence does not cover the period to its
	// end (the metric's data stop before its last day, or the report's
	// range cuts it); such a period sets no verdict and no trend.
	Partial bool
	// DaysCovered counts the period's days inside the report's range up
	// to the last day of the metric's data.
	DaysCovered int
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
		Partial   bool        `json:"partial"`
		Days      int         `json:"days_covered"`
	}
	var ci *[2]float64
	if num(p.CI[0]) != nil && num(p.CI[1]) != nil {
		ci = &p.CI
	}
	return json.Marshal(plain{p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), p.N, p.Met,
		num(p.Delivered), ci, num(p.Gap), num(p.Mean), num(p.P50), num(p.P90), p.Status, p.Partial, p.DaysCovered})
}

// UnmarshalJSON reads what MarshalJSON writes; null figures become NaN.
func (p *PeriodGap) UnmarshalJSON(b []byte) error {
	var v struct {
		Start, End                     string
		N, Met                         int64
		Delivered, Gap, Mean, P50, P90 *float64
		CI                             *[2]float64
		Status                         Status
		Partial                        bool
		DaysCovered                    int `json:"days_covered"`
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
	p.N, p.Met, p.Status, p.Partial, p.DaysCovered = v.N, v.Met, v.Status, v.Partial, v.DaysCovered
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
// latest complete one with data, the verdict and the trend.
type PromiseGap struct {
	ID          string    `json:"id"`
	Says        string    `json:"says"`
	Metric      string    `json:"metric"`
	Owner       string    `json:"owner"`
	DeliveredBy []string  `json:"delivered_by"`
	Stage       Stage     `json:"stage,omitempty"`
	Objective   Objective `json:"objective"`
	// Unit is the metric's unit from saydo.yaml's metrics:, if declared.
	Unit MetricUnit `json:"unit,omitempty"`
	// ObjectiveText states the objective in words with its unit
	// ("≤ 2 min for 90%"), as the table and the dashboard show it.
	ObjectiveText string `json:"objective_text"`
	Period        Period `json:"period"`
	// Status is the verdict of the latest complete period with data.
	Status Status `json:"status"`
	Trend  Trend  `json:"trend"`
	// Latest is the latest complete period with data; nil when there is
	// none (a partial period never sets the verdict).
	Latest *PeriodGap `json:"latest"`
	// Current is the period in progress when the last period with data is
	// partial (shown, not judged); nil otherwise.
	Current *PeriodGap  `json:"current"`
	Periods []PeriodGap `json:"periods"`
	// PooledEvery is, when the evidence is pre-aggregated less often than
	// the period can be judged from (monthly counts judged by week), the
	// fewest days between its pre-aggregated rows; the periods holding
	// them are then partial, not judged. 0 otherwise.
	PooledEvery int `json:"pooled_every_days,omitempty"`
	// BrokenSegments are values of low-cardinality attributes whose latest
	// complete period is broken while the promise as a whole is not,
	// after a correction for testing many segments. Never nil.
	BrokenSegments []BrokenSegment `json:"broken_segments"`
	// Breakdown is the gap per value of the report's --by attribute.
	Breakdown []SegmentGap `json:"breakdown,omitempty"`
	// Voice is what customers say about the promise, when feedback exists.
	Voice *PromiseVoice `json:"voice,omitempty"`
	// Outcome compares customers who experienced a miss with those who
	// did not, when observations and feedback carry customer ids.
	Outcome *Outcome `json:"outcome,omitempty"`
	// Impact is the money at stake in the latest complete period, when
	// observations carry customer ids.
	Impact *PromiseImpact `json:"impact,omitempty"`
	// Actions estimates the gap's change at each of the promise's actions;
	// never nil (the contract: every promise carries "actions").
	Actions []ActionEffect `json:"actions"`
}

// BrokenSegment is one attribute value (region=south) whose latest
// complete period breaks a promise that is not broken overall.
type BrokenSegment struct {
	Attr      string
	Value     string
	Start     time.Time // the period judged
	N         int64
	Met       int64
	Delivered float64
	CI        [2]float64
	Gap       float64
	Status    Status
	// PValue is the one-sided p-value that the segment falls short of the
	// objective; AdjustedP is it after the correction for many segments.
	PValue, AdjustedP float64
}

// MarshalJSON writes the fields SPEC.md names, days as YYYY-MM-DD and NaN
// figures as null.
func (b BrokenSegment) MarshalJSON() ([]byte, error) {
	type plain struct {
		Attr      string      `json:"attr"`
		Value     string      `json:"value"`
		Start     string      `json:"start"`
		N         int64       `json:"n"`
		Met       int64       `json:"met"`
		Delivered *float64    `json:"delivered"`
		CI        *[2]float64 `json:"ci"`
		Gap       *float64    `json:"gap"`
		Status    Status      `json:"status"`
		PValue    *float64    `json:"p_value"`
		AdjustedP *float64    `json:"adjusted_p"`
	}
	var ci *[2]float64
	if num(b.CI[0]) != nil && num(b.CI[1]) != nil {
		ci = &b.CI
	}
	return json.Marshal(plain{b.Attr, b.Value, b.Start.Format(time.DateOnly), b.N, b.Met, num(b.Delivered), ci, num(b.Gap),
		b.Status, num(b.PValue), num(b.AdjustedP)})
}

// UnmarshalJSON reads what MarshalJSON writes; null figures become NaN.
func (b *BrokenSegment) UnmarshalJSON(data []byte) error {
	var v struct {
		Attr, Value, Start string
		N, Met             int64
		Delivered, Gap     *float64
		PValue             *float64 `json:"p_value"`
		AdjustedP          *float64 `json:"adjusted_p"`
		CI                 *[2]float64
		Status             Status
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	p := v.PValue
	start, err := time.Parse(time.DateOnly, v.Start)
	if err != nil {
		return err
	}
	nan := math.NaN()
	*b = BrokenSegment{Attr: v.Attr, Value: v.Value, Start: start, N: v.N, Met: v.Met, Delivered: orNaN(v.Delivered),
		CI: [2]float64{nan, nan}, Gap: orNaN(v.Gap), Status: v.Status, PValue: orNaN(p), AdjustedP: orNaN(v.AdjustedP)}
	if v.CI != nil {
		b.CI = *v.CI
	}
	return nil
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
