package http

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/jsonl"
	"github.com/saydo/saydo/ledger"
)

// impactEnv is a test server whose first promise has an action, impact
// assumptions, and 200 customers (50 of whom waited too long and are all
// detractors) with one NPS answer each.
func impactEnv(t *testing.T) *testEnv {
	t.Helper()
	ws := testWorkspace()
	ws.Promises[0].Actions = []saydo.PromiseAction{{ID: "more-agents", What: "Twelve more agents", By: "care", On: time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC)}}
	ws.Impact = &saydo.Impact{Currency: "EUR", CustomerValue: &saydo.Assumption{Name: "customer_value", Value: 400, Source: "finance 2025"}}
	e := newTestEnv(t, func(c *Config) {
		c.Workspace = func() (*saydo.Workspace, error) { return ws, nil }
		c.Alerts = c.Store.(saydo.AlertStore)
	})
	ctx := context.Background()
	var b strings.Builder
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for c := range 200 {
		wait := 60
		if c < 50 {
			wait = 400
		}
		fmt.Fprintf(&b, `{"metric":"call_wait_seconds","value":%d,"at":%q,"customer":"k%d"}`+"\n", wait, start.Add(time.Duration(c)*time.Hour).Format(time.RFC3339), c)
	}
	if _, err := ledger.IngestObservations(ctx, e.st, ws, jsonl.NewReader(strings.NewReader(b.String())), ledger.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	tx, err := e.st.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	var fb []saydo.Feedback
	for c := range 200 {
		nps := 10.0
		if c < 50 {
			nps = 2
		}
		fb = append(fb, saydo.Feedback{Key: uint64(c + 1), At: start.AddDate(0, 0, 3), Customer: fmt.Sprintf("k%d", c), Kind: "survey",
			NPS: nps, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}})
	}
	if _, _, err := tx.Insert(fb); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestImpactOnPromisePageAndAlertsLog(t *testing.T) {
	e := impactEnv(t)
	ctx := context.Background()
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	viewer, _ := e.login(saydo.RoleViewer)
	code, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/promises/answer-in-2-min", ""))
	if code != 200 {
		t.Fatalf("promise page: %d", code)
	}
	for _, want := range []string{
		"What it costs", "id=\"outcome\"", "−100", "&#43;100", // NPS of the missed (all detractors) and kept (all promoters)
		"Money at stake", "finance 2025",
		"id=\"actions\"", "Twelve more agents", "not enough periods",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("promise page lacks %q", want)
		}
	}
	if i := strings.Index(body, "%!"); i >= 0 {
		t.Errorf("a value printed with the wrong verb: %q", body[i:min(len(body), i+40)])
	}
	_, chart, _ := strings.Cut(body, `id="chart-data">`)
	chart, _, _ = strings.Cut(chart, "</script>")
	if !strings.Contains(chart, `"actions":[{"x":1768780800,"label":"more-agents"}]`) {
		t.Errorf("the chart's data does not mark the action on 2026-01-19: %s", chart)
	}
	if err := e.st.LogDelivery(ctx, saydo.Delivery{MessageID: "msg_1", Event: "status_changed", Subject: "promise:answer-in-2-min",
		URL: "https://hooks.example.com/x", Attempt: 1, At: start, Status: 503, Error: "503 Service Unavailable"}); err != nil {
		t.Fatal(err)
	}
	if code, _ := e.do(saydo.RoleViewer, "GET", "/api/v1/alerts/deliveries", ""); code != 403 {
		t.Errorf("deliveries as a viewer: %d, want 403", code)
	}
	if code, body := e.do(saydo.RoleAdmin, "GET", "/api/v1/alerts/deliveries?limit=5", ""); code != 200 || !strings.Contains(body, `"status": 503`) && !strings.Contains(body, `"status":503`) {
		t.Errorf("deliveries as an admin: %d %s", code, body)
	}
	if code, _ := e.do(saydo.RoleAdmin, "GET", "/api/v1/alerts/deliveries?limit=0", ""); code != 400 {
		t.Errorf("limit=0: %d, want 400", code)
	}
	admin, _ := e.login(saydo.RoleAdmin)
	if code, body := e.send(admin, mustReq(t, "GET", e.ts.URL+"/alerts", "")); code != 200 || !strings.Contains(body, "503 Service Unavailable") {
		t.Errorf("alerts page as an admin: %d", code)
	}
	if code, _ := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/alerts", "")); code != 403 {
		t.Errorf("alerts page as a viewer: %d, want 403", code)
	}
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?sort=money", ""); code != 200 || !strings.Contains(body, `"sort":"money"`) && !strings.Contains(body, `"sort": "money"`) {
		t.Errorf("gaps?sort=money: %d %.300s", code, body)
	}
}
