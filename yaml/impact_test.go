package yaml

import (
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func TestImpactActionsAlerts(t *testing.T) {
	src := `company: Nordtel
departments:
  - id: care
    name: Customer care
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    owner: care
    metric: call_wait_seconds
    objective: {at_most: 120, share: 0.9}
    actions:
      - id: script
        what: A shorter greeting script
        by: care
        on: 2026-06-01
      - id: more-agents
        what: Twelve more agents on the evening shift
        by: care
        on: 2026-04-06
impact:
  currency: EUR
  customer_value: {value: 420, source: "Finance: revenue per customer 2025"}
  churn_if_missed: {value: 0.08, source: "exit survey 2025"}
  complaint_rate: default
  churn_kind: Cancelled
alerts:
  - url: https://hooks.example.com/saydo
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
  - url: https://hooks.slack.com/services/T/B/X
    format: slack
    events: [status_changed]
  - url: http://127.0.0.1:18650/hook
    secret: ${SAYDO_ALERT_SECRET}
`
	ws, err := ParseWorkspace("saydo.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	acts := ws.Promises[0].Actions
	if len(acts) != 2 || acts[0].ID != "more-agents" || !acts[0].On.Equal(time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)) || acts[0].By != "care" {
		t.Errorf("actions: got %+v, want more-agents (2026-04-06) first", acts)
	}
	im := ws.Impact
	if im == nil || im.Currency != "EUR" || im.CustomerValue.Value != 420 || im.ChurnIfMissed.Source != "exit survey 2025" || im.ChurnKind != "cancelled" {
		t.Fatalf("impact: got %+v", im)
	}
	if im.ComplaintRate == nil || im.ComplaintRate.Value != 0.03 || im.ComplaintRate.Source == "" {
		t.Errorf("complaint_rate default: got %+v, want 0.03 with its source", im.ComplaintRate)
	}
	if len(ws.Alerts) != 3 {
		t.Fatalf("alerts: got %d, want 3", len(ws.Alerts))
	}
	if a := ws.Alerts[0]; a.Format != "standard" || len(a.Events) != len(saydo.AlertEvents) {
		t.Errorf("alert 1: got %+v, want standard with every event", a)
	}
	if a := ws.Alerts[1]; a.Format != "slack" || len(a.Events) != 1 || a.Secret != "" {
		t.Errorf("alert 2: got %+v", a)
	}
	if a := ws.Alerts[2]; a.Secret != "${SAYDO_ALERT_SECRET}" {
		t.Errorf("alert 3: secret %q, want the env reference kept for saydo serve", a.Secret)
	}
}
