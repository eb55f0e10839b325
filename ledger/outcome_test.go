package ledger_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// outcomeData builds a year of weekly waits for 600 customers: customers
// 0–199 wait too long now and then, the others never do; each customer
// answers one NPS survey, and the first 30 of those who waited too long and
// 12 others leave. It returns the observations CSV and the feedback.
func outcomeData() (string, []saydo.Feedback) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("metric,value,at,customer\n")
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	nan := math.NaN()
	var fb []saydo.Feedback
	for c := range 600 {
		for k := range 4 {
			at := start.Add(time.Duration(rng.IntN(20*7*24)) * time.Hour)
			v := 30 + rng.Float64()*80
			if c < 200 && k == 0 {
				v = 200 // a miss
			}
			fmt.Fprintf(&b, "wait,%.1f,%s,c%d\n", v, at.Format(time.RFC3339), c)
		}
		nps := 9.0 // promoter
		switch {
		case c < 200 && c%2 == 0:
			nps = 3 // detractor
		case c < 200:
			nps = 7 // passive
		case c%10 == 0:
			nps = 5
		}
		f := saydo.Feedback{Key: uint64(c + 1), At: start.AddDate(0, 0, 150), Customer: fmt.Sprintf("c%d", c),
			Kind: "survey", NPS: nps, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}}
		fb = append(fb, f)
		if c < 30 || (c >= 200 && c < 212) {
			fb = append(fb, saydo.Feedback{Key: uint64(10000 + c), At: start.AddDate(0, 0, 160), Customer: f.Customer,
				Kind: "churn", NPS: nan, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}})
		}
		if c < 200 && c%4 == 0 {
			fb = append(fb, saydo.Feedback{Key: uint64(20000 + c), At: start.AddDate(0, 0, 140), Customer: f.Customer,
				Kind: "complaint", Text: "waited forever", NPS: nan, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}})
		}
	}
	return b.String(), fb
}

func TestOutcomeAndImpact(t *testing.T) {
	st := openStore(t)
	ws := &saydo.Workspace{
		Company:     "Test",
		Departments: []saydo.Department{{ID: "care"}},
		Promises: []saydo.Promise{{ID: "answer", Metric: "wait", Owner: "care", Period: saydo.Week,
			Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}}},
		Impact: &saydo.Impact{Currency: "EUR", CustomerValue: &saydo.Assumption{Name: "customer_value", Value: 500, Source: "finance"}},
	}
	obs, fb := outcomeData()
	ingest(t, st, ws, obs, ledger.IngestOptions{})
	ctx := context.Background()
	tx, err := st.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tx.Insert(fb); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	rep, err := ledger.GapReport(ctx, st, ws, ledger.GapQuery{}, now)
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Promises[0].Outcome
	if o == nil {
		t.Fatal("no outcome")
	}
	// By construction: 200 missed (100 detractors, 100 passives: NPS −50),
	// 400 kept (40 detractors, 360 promoters: NPS +80).
	if o.CustomersMissed != 200 || o.CustomersKept != 400 {
		t.Errorf("customers: got %d missed, %d kept; want 200, 400", o.CustomersMissed, o.CustomersKept)
	}
	if o.NPSMissed != -50 || o.NPSKept != 80 || o.NPSDifference != -130 {
		t.Errorf("NPS: got %v vs %v (%v), want −50 vs 80 (−130)", o.NPSMissed, o.NPSKept, o.NPSDifference)
	}
	if !(o.CI[0] < -130 && o.CI[1] > -130 && o.PValue < 1e-6) {
		t.Errorf("NPS interval %v, p %v: want around −130 and p tiny", o.CI, o.PValue)
	}
	if o.ComplaintRateMissed != 0.25 || o.ComplaintRateKept != 0 {
		t.Errorf("complaint rates: got %v, %v; want 0.25, 0", o.ComplaintRateMissed, o.ComplaintRateKept)
	}
	if o.ChurnMissed != 30.0/200 || o.ChurnKept != 12.0/400 {
		t.Errorf("churn: got %v, %v; want 0.15, 0.03", o.ChurnMissed, o.ChurnKept)
	}
	im := rep.Promises[0].Impact
	if im == nil || im.Churn != "measured" {
		t.Fatalf("impact: got %+v, want measured churn", im)
	}
	// Affected: distinct customers with a miss in the latest period,
	// counted here from the data independently of the ledger.
	latest := rep.Promises[0].Latest
	want := map[string]bool{}
	for _, line := range strings.Split(obs, "\n")[1:] {
		f := strings.Split(line, ",")
		if len(f) < 4 {
			continue
		}
		at, _ := time.Parse(time.RFC3339, f[2])
		if f[1] == "200.0" && !at.Before(latest.Start) && at.Before(latest.End) {
			want[f[3]] = true
		}
	}
	if im.CustomersAffected != int64(len(want)) {
		t.Errorf("customers affected in %s: got %d, want %d", im.Period, im.CustomersAffected, len(want))
	}
	if got := float64(im.CustomersAffected) * (0.15 - 0.03) * 500; math.Abs(im.RevenueAtRisk-got) > 1e-6 {
		t.Errorf("revenue at risk: got %v, want %v", im.RevenueAtRisk, got)
	}
	if rep.Impact == nil || rep.Impact.RevenueAtRisk != im.RevenueAtRisk {
		t.Errorf("report total: got %+v", rep.Impact)
	}

	// New feedback changes the feedback version: the cached outcome must
	// not be served.
	tx, _ = st.BeginFeedback(ctx)
	nan := math.NaN()
	if _, _, err := tx.Insert([]saydo.Feedback{{Key: 99999, At: time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), Customer: "c1",
		Kind: "complaint", Text: "again", NPS: nan, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}}}); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	rep, err = ledger.GapReport(ctx, st, ws, ledger.GapQuery{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Promises[0].Outcome.ComplaintRateMissed; got != 51.0/200 {
		t.Errorf("after a new complaint: complaint rate %v, want %v (a stale cache?)", got, 51.0/200)
	}
}

func TestOutcomeWithoutCustomers(t *testing.T) {
	st, ws := openStore(t), workspace()
	ingest(t, st, ws, sample, ledger.IngestOptions{})
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Promises {
		if p.Outcome != nil || p.Impact != nil {
			t.Errorf("%s: outcome %+v, impact %+v without customer ids; want none", p.ID, p.Outcome, p.Impact)
		}
	}
}

// Churn measured from a metric of observations (a cancellations export)
// rather than feedback.
func TestOutcomeChurnMetric(t *testing.T) {
	st := openStore(t)
	ws := &saydo.Workspace{
		Company:     "Test",
		Departments: []saydo.Department{{ID: "care"}},
		Promises: []saydo.Promise{{ID: "answer", Metric: "wait", Owner: "care", Period: saydo.Week,
			Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}}},
		Impact: &saydo.Impact{ChurnMetric: "left"},
	}
	var b strings.Builder
	b.WriteString("metric,value,at,customer\n")
	for c := range 100 {
		for w := range 4 {
			v := 30
			if c < 40 && w == 2 {
				v = 300 // customers 0–39 miss once
			}
			fmt.Fprintf(&b, "wait,%d,2026-01-%02dT10:00:00Z,c%d\n", v, 5+7*w, c)
		}
		if c < 10 || (c >= 40 && c < 46) { // 10 of 40 missed leave, 6 of 60 kept
			fmt.Fprintf(&b, "left,1,2026-02-10T00:00:00Z,c%d\n", c)
		}
	}
	res, rj := ingest(t, st, ws, b.String(), ledger.IngestOptions{})
	if res.Rejected != 0 {
		t.Fatalf("rejected %d rows (lines %v): the churn metric must be accepted", res.Rejected, rj.lines)
	}
	rep, err := ledger.GapReport(context.Background(), st, ws, ledger.GapQuery{}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Promises[0].Outcome
	if o == nil || o.CustomersMissed != 40 || o.CustomersKept != 60 || o.ChurnMissed != 0.25 || o.ChurnKept != 0.1 {
		t.Fatalf("outcome: got %+v, want 40 missed (25%% left), 60 kept (10%% left)", o)
	}
	if im := rep.Promises[0].Impact; im == nil || im.Churn != "measured" {
		t.Errorf("impact: got %+v, want churn measured", im)
	}
}
