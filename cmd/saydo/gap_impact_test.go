package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestGapJSONImpactFields checks the field names SPEC.md gives scripts for
// outcomes, money and actions.
func TestGapJSONImpactFields(t *testing.T) {
	ws := strings.Replace(testWorkspace, "    period: week\n", `    period: week
    actions:
      - id: more-agents
        what: Twelve more agents
        by: care
        on: 2026-10-19
`, 1) + `impact:
  currency: EUR
  customer_value: {value: 400, source: "finance 2025"}
  churn_if_missed: {value: 0.1, source: "exit survey"}
`
	dir := newWorkspace(t, ws)
	var obs, fb strings.Builder
	obs.WriteString("metric,value,at,customer\n")
	fb.WriteString("id,at,customer,kind,nps\n")
	for w, monday := range []string{"2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"} {
		for c := range 60 {
			v := 30
			if c < 20 && w < 3 { // misses before the action only
				v = 300
			}
			fmt.Fprintf(&obs, "call_wait_seconds,%d,%sT%02d:00:00Z,c%d\n", v, monday, 8+c%10, c)
		}
	}
	for c := range 60 {
		nps := 9
		if c < 20 {
			nps = 3
		}
		fmt.Fprintf(&fb, "f%d,2026-11-10T10:00:00Z,c%d,survey,%d\n", c, c, nps)
	}
	writeFile(t, dir, "obs.csv", obs.String())
	writeFile(t, dir, "fb.csv", fb.String())
	for _, args := range [][]string{{"observations", dir + "/obs.csv"}, {"feedback", dir + "/fb.csv"}} {
		if _, errs, code := runSaydo(t, "", append([]string{"ingest", "--workspace", dir}, args...)...); code != 0 {
			t.Fatalf("ingest %s: %s", args[0], errs)
		}
	}
	out, errs, code := runSaydo(t, "", "gap", "--workspace", dir, "--promise", "answer-in-2-min", "--format", "json", "--sort", "money")
	if code != 0 {
		t.Fatalf("gap: %d %s", code, errs)
	}
	var rep struct {
		Sort     string `json:"sort"`
		Promises []struct {
			Outcome map[string]any   `json:"outcome"`
			Impact  map[string]any   `json:"impact"`
			Actions []map[string]any `json:"actions"`
		} `json:"promises"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Sort != "money" || len(rep.Promises) != 1 {
		t.Fatalf("report: %s", out)
	}
	p := rep.Promises[0]
	for _, k := range []string{"customers_missed", "customers_kept", "nps_missed", "nps_kept", "nps_difference", "ci", "p_value", "test", "complaint_rate_missed", "complaint_rate_kept"} {
		if _, ok := p.Outcome[k]; !ok {
			t.Errorf("outcome lacks %q", k)
		}
	}
	if p.Outcome["customers_missed"] != 20.0 || p.Outcome["customers_kept"] != 40.0 || p.Outcome["nps_missed"] != -100.0 || p.Outcome["nps_kept"] != 100.0 {
		t.Errorf("outcome: %v", p.Outcome)
	}
	for _, k := range []string{"customers_affected", "revenue_at_risk", "currency", "assumptions"} {
		if _, ok := p.Impact[k]; !ok {
			t.Errorf("impact lacks %q", k)
		}
	}
	if as, _ := p.Impact["assumptions"].([]any); len(as) != 2 || as[0].(map[string]any)["source"] != "finance 2025" {
		t.Errorf("assumptions: %v", p.Impact["assumptions"])
	}
	if len(p.Actions) != 1 {
		t.Fatalf("actions: %v", p.Actions)
	}
	for _, k := range []string{"id", "on", "before", "after", "change", "ci", "p_value", "test"} {
		if _, ok := p.Actions[0][k]; !ok {
			t.Errorf("action lacks %q", k)
		}
	}
	if p.Actions[0]["on"] != "2026-10-19" || p.Actions[0]["verdict"] != "narrowed" {
		t.Errorf("action: %v", p.Actions[0])
	}
}
