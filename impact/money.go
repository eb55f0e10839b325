package impact

import (
	"fmt"
	"math"

	"github.com/saydo/saydo"
)

// Churn sources reported in saydo.PromiseImpact.Churn.
const (
	ChurnMeasured = "measured"
	ChurnAssumed  = "assumed"
	ChurnUnknown  = "unknown"
)

// Money puts a price on a promise's misses in one period: affected
// customers (distinct customers with a missed experience in it) × churn ×
// the value of a customer per year, in cfg's currency.
//
// Churn is measured when the outcome has churn figures: the excess churn of
// customers who experienced a miss over those who did not (churn_missed −
// churn_kept), whose Newcombe interval gives the interval of the revenue at
// risk (negative bounds clipped to 0: a miss does not earn money). Without
// it, cfg's churn_if_missed is used and labelled assumed; an assumption has
// no sampling interval, so the interval is absent. Every input appears in
// Assumptions with its source, measured ones marked.
func Money(cfg *saydo.Impact, period string, affected int64, o *saydo.Outcome) saydo.PromiseImpact {
	nan := math.NaN()
	out := saydo.PromiseImpact{Period: period, CustomersAffected: affected, RevenueAtRisk: nan,
		RevenueAtRiskCI: [2]float64{nan, nan}, ReplacementCost: nan, Churn: ChurnUnknown}
	if cfg == nil {
		out.Note = "no impact: section in saydo.yaml; add customer_value and churn_if_missed to put a price on misses"
		return out
	}
	out.Currency = cfg.Currency
	add := func(a *saydo.Assumption) {
		if a != nil {
			out.Assumptions = append(out.Assumptions, *a)
		}
	}
	add(cfg.CustomerValue)
	var churn, lo, hi float64 = nan, nan, nan
	switch {
	case o != nil && !math.IsNaN(o.Churn.Value):
		churn, lo, hi = o.Churn.Value, o.Churn.CI[0], o.Churn.CI[1]
		out.Churn = ChurnMeasured
		out.Assumptions = append(out.Assumptions, saydo.Assumption{Name: "churn_if_missed", Value: churn, Measured: true,
			Source: fmt.Sprintf("measured: churn of customers who experienced a miss %s minus the others' %s (%s)",
				pct(o.ChurnMissed), pct(o.ChurnKept), o.Churn.Test)})
	case cfg.ChurnIfMissed != nil:
		churn = cfg.ChurnIfMissed.Value
		out.Churn = ChurnAssumed
		add(cfg.ChurnIfMissed)
	}
	add(cfg.CostToWin)
	add(cfg.ComplaintRate)
	add(cfg.WordOfMouth)
	if math.IsNaN(churn) {
		out.Note = "no churn: record churn events (feedback of kind " + churnKind(cfg) + ") or set impact.churn_if_missed"
		return out
	}
	lost := float64(affected) * math.Max(0, churn)
	if cfg.CostToWin != nil {
		out.ReplacementCost = lost * cfg.CostToWin.Value
	}
	if cfg.CustomerValue == nil {
		out.Note = "no customer value: set impact.customer_value to put a price on misses"
		return out
	}
	v := cfg.CustomerValue.Value
	out.RevenueAtRisk = lost * v
	if out.Churn == ChurnMeasured && !math.IsNaN(lo) {
		out.RevenueAtRiskCI = [2]float64{float64(affected) * math.Max(0, lo) * v, float64(affected) * math.Max(0, hi) * v}
	}
	return out
}

func churnKind(cfg *saydo.Impact) string {
	if cfg.ChurnKind != "" {
		return cfg.ChurnKind
	}
	return saydo.DefaultChurnKind
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}
