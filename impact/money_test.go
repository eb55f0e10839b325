package impact

import (
	"math"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

func TestMoney(t *testing.T) {
	cfg := &saydo.Impact{Currency: "EUR",
		CustomerValue: &saydo.Assumption{Name: "customer_value", Value: 400, Source: "finance"},
		ChurnIfMissed: &saydo.Assumption{Name: "churn_if_missed", Value: 0.1, Source: "survey"},
		CostToWin:     &saydo.Assumption{Name: "cost_to_win", Value: 250, Source: "marketing"},
	}
	t.Run("assumed", func(t *testing.T) {
		m := Money(cfg, "2026-06-01", 1000, nil)
		if m.Churn != ChurnAssumed || m.RevenueAtRisk != 1000*0.1*400 || m.ReplacementCost != 1000*0.1*250 {
			t.Errorf("got churn %s, revenue %v, replacement %v; want assumed, 40000, 25000", m.Churn, m.RevenueAtRisk, m.ReplacementCost)
		}
		if !math.IsNaN(m.RevenueAtRiskCI[0]) {
			t.Errorf("an assumption has no sampling interval; got %v", m.RevenueAtRiskCI)
		}
		if len(m.Assumptions) != 3 || m.Assumptions[0].Source != "finance" {
			t.Errorf("assumptions: got %+v", m.Assumptions)
		}
	})
	t.Run("measured", func(t *testing.T) {
		o := Compare(Group{Customers: 400, Churned: 60}, Group{Customers: 1600, Churned: 80}, true)
		m := Money(cfg, "2026-06-01", 500, &o)
		d := ShareDifference(60, 400, 80, 1600)
		if m.Churn != ChurnMeasured || !near(m.RevenueAtRisk, 500*d.Value*400, 1e-12) {
			t.Errorf("got %s %v, want measured %v", m.Churn, m.RevenueAtRisk, 500*d.Value*400)
		}
		if !near(m.RevenueAtRiskCI[0], 500*d.CI[0]*400, 1e-12) || !near(m.RevenueAtRiskCI[1], 500*d.CI[1]*400, 1e-12) {
			t.Errorf("interval: got %v, want %v×200000", m.RevenueAtRiskCI, d.CI)
		}
		var measured bool
		for _, a := range m.Assumptions {
			if a.Name == "churn_if_missed" {
				measured = a.Measured && strings.HasPrefix(a.Source, "measured")
			}
		}
		if !measured {
			t.Errorf("the churn used must be labelled measured: %+v", m.Assumptions)
		}
	})
	t.Run("negative excess churn", func(t *testing.T) {
		o := Compare(Group{Customers: 400, Churned: 4}, Group{Customers: 1600, Churned: 80}, true)
		m := Money(cfg, "2026-06-01", 500, &o)
		if m.RevenueAtRisk != 0 || m.RevenueAtRiskCI[0] != 0 {
			t.Errorf("got %v %v, want 0 and a lower bound of 0", m.RevenueAtRisk, m.RevenueAtRiskCI)
		}
	})
	t.Run("no config", func(t *testing.T) {
		m := Money(nil, "2026-06-01", 500, nil)
		if !math.IsNaN(m.RevenueAtRisk) || m.Note == "" {
			t.Errorf("got %v %q, want NaN and a note", m.RevenueAtRisk, m.Note)
		}
	})
}
