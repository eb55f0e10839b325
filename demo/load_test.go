package demo

import (
	"testing"

	"github.com/saydo/saydo/yaml"
)

// TestLoadWorkspace loads the demo's saydo.yaml through the workspace
// loader saydo itself uses, so the demo never ships a workspace that
// `saydo check` rejects.
func TestLoadWorkspace(t *testing.T) {
	w := nordtel(t)
	ws, err := yaml.LoadWorkspace(w.Dir)
	if err != nil {
		t.Fatalf("LoadWorkspace(%s): %v", w.Dir, err)
	}
	if ws.Company != "Nordtel" || len(ws.Departments) != 8 || len(ws.Promises) != 8 {
		t.Errorf("company %q, %d departments, %d promises; want Nordtel, 8, 8", ws.Company, len(ws.Departments), len(ws.Promises))
	}
	tests := []struct {
		id     string
		metric string
		period string
	}{
		{"answer-in-2-min", metricCallWait, "week"},
		{"first-call-resolution", metricFirstCall, "week"},
		{"install-in-3-days", metricInstallDays, "week"},
		{"correct-bills", metricBillCorrect, "month"},
		{"no-surprise-fees", metricSurpriseFee, "week"},
		{"network-availability", metricAvailability, "week"},
		{"refund-in-5-days", metricRefundDays, "month"},
		{"technician-on-time", metricTechLate, "week"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, ok := ws.Promise(tt.id)
			if !ok {
				t.Fatalf("no promise %s", tt.id)
			}
			if p.Metric != tt.metric || string(p.Period) != tt.period {
				t.Errorf("metric %s, period %s; want %s, %s", p.Metric, p.Period, tt.metric, tt.period)
			}
			if p.Since.IsZero() || p.Until.IsZero() || len(p.Voice["en"]) == 0 || len(p.Voice["ro"]) == 0 {
				t.Errorf("since %v, until %v, voice %v", p.Since, p.Until, p.Voice)
			}
		})
	}
}
