package saydo

import (
	"encoding/json"
	"math"
	"sort"
	"time"
)

// Impact holds the money assumptions of saydo.yaml's impact: section: what
// a customer is worth and what a broken promise does to them. Every figure
// carries a label and its source, so no money figure is shown without the
// assumptions it rests on.
type Impact struct {
	// Currency is an ISO 4217 code such as EUR.
	Currency string
	// CustomerValue is the revenue of one customer per year.
	CustomerValue *Assumption
	// ChurnIfMissed is the share of customers who experienced a miss and
	// then leave, used when no churn is measured.
	ChurnIfMissed *Assumption
	// ComplaintRate is the share of dissatisfied customers who complain.
	ComplaintRate *Assumption
	// WordOfMouth is how many people a dissatisfied customer tells.
	WordOfMouth *Assumption
	// CostToWin is what it costs to win a new customer, in Currency.
	CostToWin *Assumption
	// ChurnKind is the feedback kind that records a customer leaving
	// (default "churn"): with such feedback, churn is measured instead of
	// assumed.
	ChurnKind string
	// ChurnMetric, when set, names observations that record customers
	// leaving (value 1 or true for a customer who left): churn measured
	// from operations data instead of, or as well as, feedback.
	ChurnMetric string
	Pos         Pos
}

// DefaultChurnKind is the feedback kind that records a customer leaving.
const DefaultChurnKind = "churn"

// Assumption is one labelled input of a money figure.
type Assumption struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	// Source says where the number comes from: a finance report, a study,
	// or "measured: ..." when saydo computed it from the evidence.
	Source string `json:"source"`
	// Measured is true when the value comes from the company's own
	// evidence rather than an assumption.
	Measured bool `json:"measured"`
}

// PromiseAction is one step taken to close a promise's gap: more crews from a
// date, a new script, a second shift.
type PromiseAction struct {
	ID   string
	What string
	// By is the department that took it.
	By string
	// On is the day it took effect (midnight UTC).
	On  time.Time
	Pos Pos
}

// Alert is one webhook saydo serve calls when promises change.
type Alert struct {
	URL string
	// Secret is the Standard Webhooks signing secret, "whsec_<base64>",
	// or "${NAME}" to read it from the environment variable NAME.
	Secret string
	// Events lists the events sent: status_changed, trend_changed,
	// journey_conflicts.
	Events []string
	// Format is "standard" (the JSON event) or "slack" (a Slack-compatible
	// {"text": ...} message).
	Format string
	Pos    Pos
}

// The alert events.
const (
	EventStatusChanged    = "status_changed"
	EventTrendChanged     = "trend_changed"
	EventJourneyConflicts = "journey_conflicts"
)

// AlertEvents lists every event an alert may subscribe to.
var AlertEvents = []string{EventStatusChanged, EventTrendChanged, EventJourneyConflicts}

// Outcome compares the customers who experienced a miss of a promise with
// those whose experiences all met it, from their own feedback.
type Outcome struct {
	CustomersMissed int64 `json:"customers_missed"`
	CustomersKept   int64 `json:"customers_kept"`
	// NPS of each group's answers (−100..100), NaN without answers.
	NPSMissed float64 `json:"nps_missed"`
	NPSKept   float64 `json:"nps_kept"`
	// NPSAnswersMissed and NPSAnswersKept count the answers behind them.
	NPSAnswersMissed int64 `json:"nps_answers_missed"`
	NPSAnswersKept   int64 `json:"nps_answers_kept"`
	// NPSDifference is NPSMissed − NPSKept with its 95% interval.
	NPSDifference float64    `json:"nps_difference"`
	CI            [2]float64 `json:"ci"`
	PValue        float64    `json:"p_value"`
	Test          string     `json:"test"`
	// Complaint rates: the share of each group's customers who complained.
	ComplaintRateMissed float64    `json:"complaint_rate_missed"`
	ComplaintRateKept   float64    `json:"complaint_rate_kept"`
	Complaint           Difference `json:"complaint"`
	// CSAT: the share of each group's answers that were 4 or 5 of 5.
	CSATMissed float64    `json:"csat_missed"`
	CSATKept   float64    `json:"csat_kept"`
	CSAT       Difference `json:"csat"`
	// Churn: the share of each group's customers who left (a feedback item
	// of the churn kind); absent when no churn is recorded.
	ChurnMissed float64    `json:"churn_missed"`
	ChurnKept   float64    `json:"churn_kept"`
	Churn       Difference `json:"churn"`
}

// Difference is a difference of two shares (missed − kept) with its 95%
// interval and a test that it is not zero.
type Difference struct {
	Value  float64    `json:"difference"`
	CI     [2]float64 `json:"ci"`
	PValue float64    `json:"p_value"`
	Test   string     `json:"test"`
}

// MarshalJSON writes NaN figures as null.
func (d Difference) MarshalJSON() ([]byte, error) {
	type plain struct {
		Value  *float64    `json:"difference"`
		CI     *[2]float64 `json:"ci"`
		PValue *float64    `json:"p_value"`
		Test   string      `json:"test"`
	}
	return json.Marshal(plain{num(d.Value), interval(d.CI), num(d.PValue), d.Test})
}

// MarshalJSON writes NaN figures as null.
func (o Outcome) MarshalJSON() ([]byte, error) {
	type plain struct {
		CustomersMissed     int64       `json:"customers_missed"`
		CustomersKept       int64       `json:"customers_kept"`
		NPSMissed           *float64    `json:"nps_missed"`
		NPSKept             *float64    `json:"nps_kept"`
		NPSAnswersMissed    int64       `json:"nps_answers_missed"`
		NPSAnswersKept      int64       `json:"nps_answers_kept"`
		NPSDifference       *float64    `json:"nps_difference"`
		CI                  *[2]float64 `json:"ci"`
		PValue              *float64    `json:"p_value"`
		Test                string      `json:"test"`
		ComplaintRateMissed *float64    `json:"complaint_rate_missed"`
		ComplaintRateKept   *float64    `json:"complaint_rate_kept"`
		Complaint           Difference  `json:"complaint"`
		CSATMissed          *float64    `json:"csat_missed"`
		CSATKept            *float64    `json:"csat_kept"`
		CSAT                Difference  `json:"csat"`
		ChurnMissed         *float64    `json:"churn_missed"`
		ChurnKept           *float64    `json:"churn_kept"`
		Churn               Difference  `json:"churn"`
	}
	return json.Marshal(plain{o.CustomersMissed, o.CustomersKept, num(o.NPSMissed), num(o.NPSKept),
		o.NPSAnswersMissed, o.NPSAnswersKept, num(o.NPSDifference), interval(o.CI), num(o.PValue), o.Test,
		num(o.ComplaintRateMissed), num(o.ComplaintRateKept), o.Complaint,
		num(o.CSATMissed), num(o.CSATKept), o.CSAT,
		num(o.ChurnMissed), num(o.ChurnKept), o.Churn})
}

func interval(ci [2]float64) *[2]float64 {
	if num(ci[0]) == nil || num(ci[1]) == nil {
		return nil
	}
	return &ci
}

// PromiseImpact is the money a promise puts at stake in the latest complete
// period, with every input it rests on.
type PromiseImpact struct {
	// Period is the first day of the period counted.
	Period            string `json:"period"`
	CustomersAffected int64  `json:"customers_affected"`
	// RevenueAtRisk is customers affected × churn × customer value per
	// year; NaN when an input is missing.
	RevenueAtRisk   float64    `json:"revenue_at_risk"`
	RevenueAtRiskCI [2]float64 `json:"revenue_at_risk_ci"`
	// ReplacementCost is what winning back the customers lost would cost
	// (lost customers × cost_to_win); NaN without cost_to_win.
	ReplacementCost float64 `json:"replacement_cost"`
	Currency        string  `json:"currency"`
	// Churn says which churn was used: "measured" (the excess churn of
	// customers who experienced a miss) or "assumed".
	Churn       string       `json:"churn"`
	Assumptions []Assumption `json:"assumptions"`
	// Note explains a missing figure.
	Note string `json:"note,omitempty"`
}

// MarshalJSON writes NaN figures as null.
func (p PromiseImpact) MarshalJSON() ([]byte, error) {
	type plain struct {
		Period            string       `json:"period"`
		CustomersAffected int64        `json:"customers_affected"`
		RevenueAtRisk     *float64     `json:"revenue_at_risk"`
		RevenueAtRiskCI   *[2]float64  `json:"revenue_at_risk_ci"`
		ReplacementCost   *float64     `json:"replacement_cost"`
		Currency          string       `json:"currency"`
		Churn             string       `json:"churn"`
		Assumptions       []Assumption `json:"assumptions"`
		Note              string       `json:"note,omitempty"`
	}
	as := p.Assumptions
	if as == nil {
		as = []Assumption{}
	}
	return json.Marshal(plain{p.Period, p.CustomersAffected, num(p.RevenueAtRisk), interval(p.RevenueAtRiskCI),
		num(p.ReplacementCost), p.Currency, p.Churn, as, p.Note})
}

// ActionEffect is the estimated change of a promise's gap at an action.
type ActionEffect struct {
	ID   string `json:"id"`
	What string `json:"what"`
	By   string `json:"by"`
	On   string `json:"on"`
	// Before is the gap the trend before the action predicts for the
	// first period after it; After is the gap fitted for that period.
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// Change is After − Before (the level change at the action), with its
	// 95% interval and p value.
	Change float64    `json:"change"`
	CI     [2]float64 `json:"ci"`
	PValue float64    `json:"p_value"`
	// SlopeChange is the change of the gap's slope per period after the
	// action.
	SlopeChange   float64 `json:"slope_change"`
	PeriodsBefore int     `json:"periods_before"`
	PeriodsAfter  int     `json:"periods_after"`
	Test          string  `json:"test"`
	// Verdict is "narrowed", "widened", "no measurable change" or
	// "not enough periods".
	Verdict string `json:"verdict"`
	// Autocorrelation is the lag-1 autocorrelation of the periods around
	// the fit that the interval allowed for (0: none measured).
	Autocorrelation float64 `json:"autocorrelation"`
}

// MarshalJSON writes NaN figures as null.
func (a ActionEffect) MarshalJSON() ([]byte, error) {
	type plain struct {
		ID            string      `json:"id"`
		What          string      `json:"what"`
		By            string      `json:"by"`
		On            string      `json:"on"`
		Before        *float64    `json:"before"`
		After         *float64    `json:"after"`
		Change        *float64    `json:"change"`
		CI            *[2]float64 `json:"ci"`
		PValue        *float64    `json:"p_value"`
		SlopeChange   *float64    `json:"slope_change"`
		PeriodsBefore int         `json:"periods_before"`
		PeriodsAfter  int         `json:"periods_after"`
		Test          string      `json:"test"`
		Verdict       string      `json:"verdict"`
		Autocorr      float64     `json:"autocorrelation"`
	}
	return json.Marshal(plain{a.ID, a.What, a.By, a.On, num(a.Before), num(a.After), num(a.Change), interval(a.CI),
		num(a.PValue), num(a.SlopeChange), a.PeriodsBefore, a.PeriodsAfter, a.Test, a.Verdict, a.Autocorrelation})
}

// ReportImpact totals the money at stake across the promises of a report.
type ReportImpact struct {
	// Promises counts the promises with customer evidence.
	Promises int `json:"promises"`
	// CustomersAffected adds up each promise's affected customers; one
	// customer who experienced misses of two promises counts twice.
	CustomersAffected int64 `json:"customers_affected"`
	// RevenueAtRisk adds up the promises that have a figure, in Currency.
	RevenueAtRisk float64 `json:"revenue_at_risk"`
	Currency      string  `json:"currency"`
	// Measured and Assumed count the promises whose churn was measured
	// from evidence and those whose churn was assumed.
	Measured int `json:"churn_measured"`
	Assumed  int `json:"churn_assumed"`
}

// Add counts one promise's impact into the total.
func (r *ReportImpact) Add(m *PromiseImpact) {
	r.Promises++
	r.CustomersAffected += m.CustomersAffected
	if r.Currency == "" {
		r.Currency = m.Currency
	}
	if !math.IsNaN(m.RevenueAtRisk) {
		r.RevenueAtRisk += m.RevenueAtRisk
		switch m.Churn {
		case "measured":
			r.Measured++
		case "assumed":
			r.Assumed++
		}
	}
}

// SortByMoney orders promises by revenue at risk, largest first; promises
// without a figure follow, worst first (WorseThan).
func SortByMoney(ps []PromiseGap) {
	money := func(p *PromiseGap) float64 {
		if p.Impact == nil || math.IsNaN(p.Impact.RevenueAtRisk) {
			return math.Inf(-1)
		}
		return p.Impact.RevenueAtRisk
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := money(&ps[i]), money(&ps[j])
		if a != b {
			return a > b
		}
		return WorseThan(ps[i].Status, ps[i].Latest, ps[j].Status, ps[j].Latest)
	})
}
