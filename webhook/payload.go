package webhook

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// Event is what an alert says: a promise changed status, or its gap
// turned to widening.
type Event struct {
	Type    string
	Company string
	Promise *saydo.PromiseGap
	// Journeys is the spike of a journey_conflicts event.
	Journeys *saydo.JourneySpike
	Previous saydo.AlertState
	// Test marks a test send (saydo alerts test).
	Test bool
}

// Body renders the event in the alert's format: "standard" (the JSON event
// of Standard Webhooks: type, timestamp, data) or "slack" (a Slack
// incoming-webhook message, {"text": ...}, which Mattermost, Rocket.Chat
// and Teams' Slack-compatible connectors also accept).
func Body(format string, ev Event, now time.Time) ([]byte, error) {
	if format == "slack" {
		return json.Marshal(map[string]string{"text": Sentence(ev)})
	}
	envelope := func(data any) ([]byte, error) {
		return json.Marshal(struct {
			Type      string `json:"type"`
			Timestamp string `json:"timestamp"`
			Data      any    `json:"data"`
		}{ev.Type, now.UTC().Format(time.RFC3339), data})
	}
	if ev.Journeys != nil {
		return envelope(struct {
			Company  string              `json:"company"`
			Test     bool                `json:"test,omitempty"`
			Journeys *saydo.JourneySpike `json:"journeys"`
			Previous int64               `json:"previous_week_conflicts"`
			Summary  string              `json:"summary"`
		}{ev.Company, ev.Test, ev.Journeys, ev.Previous.Conflicts, Sentence(ev)})
	}
	p := ev.Promise
	type promise struct {
		ID          string          `json:"id"`
		Says        string          `json:"says"`
		Owner       string          `json:"owner"`
		DeliveredBy []string        `json:"delivered_by"`
		Objective   saydo.Objective `json:"objective"`
	}
	type state struct {
		Status    saydo.Status    `json:"status"`
		Direction saydo.Direction `json:"direction"`
	}
	data := struct {
		Company  string               `json:"company"`
		Test     bool                 `json:"test,omitempty"`
		Promise  promise              `json:"promise"`
		Previous state                `json:"previous"`
		Current  state                `json:"current"`
		Trend    saydo.Trend          `json:"trend"`
		Latest   *saydo.PeriodGap     `json:"latest"`
		Impact   *saydo.PromiseImpact `json:"impact,omitempty"`
		Summary  string               `json:"summary"`
	}{
		Company: ev.Company, Test: ev.Test,
		Promise:  promise{p.ID, p.Says, p.Owner, p.DeliveredBy, p.Objective},
		Previous: state{ev.Previous.Status, ev.Previous.Direction},
		Current:  state{p.Status, p.Trend.Direction},
		Trend:    p.Trend, Latest: p.Latest, Impact: p.Impact, Summary: Sentence(ev),
	}
	return envelope(data)
}

// Sentence says the event in one line a person reads in a chat:
// "answer-in-2-min is now broken (was at risk): 84.7% delivered (95% CI
// 84.2–85.2%) against 90% ≤120, gap +5.3 pp", as TestSentence has it.
func Sentence(ev Event) string {
	p := ev.Promise
	var b strings.Builder
	if ev.Test {
		b.WriteString("[test] ")
	}
	if ev.Company != "" {
		b.WriteString(ev.Company + ": ")
	}
	if j := ev.Journeys; j != nil {
		fmt.Fprintf(&b, "journey conflicts spiked: %d in the week of %s against %.1f a week before", j.Conflicts, j.Week.Format(time.DateOnly), j.Expected)
		if j.PValue < 0.001 {
			b.WriteString(" (p < 0.001)")
		} else {
			fmt.Fprintf(&b, " (p = %.2g)", j.PValue)
		}
		rules := make([]string, 0, len(j.ByRule))
		for r := range j.ByRule {
			rules = append(rules, r)
		}
		sort.Slice(rules, func(a, c int) bool {
			if j.ByRule[rules[a]] != j.ByRule[rules[c]] {
				return j.ByRule[rules[a]] > j.ByRule[rules[c]]
			}
			return rules[a] < rules[c]
		})
		for i, r := range rules {
			if i == 0 {
				b.WriteString("; most: ")
			} else if i < 3 {
				b.WriteString(", ")
			} else {
				break
			}
			fmt.Fprintf(&b, "%s %d", r, j.ByRule[r])
		}
		b.WriteString(". saydo journeys shows each conflict.")
		return b.String()
	}
	switch ev.Type {
	case saydo.EventTrendChanged:
		fmt.Fprintf(&b, "the gap of %s is widening (was %s)", p.ID, ev.Previous.Direction)
	default:
		fmt.Fprintf(&b, "%s is now %s (was %s)", p.ID, words(p.Status), words(ev.Previous.Status))
	}
	if l := p.Latest; l != nil && !math.IsNaN(l.Delivered) {
		ci := !math.IsNaN(l.CI[0]) && !math.IsNaN(l.CI[1])
		if p.Objective.IsMean() {
			fmt.Fprintf(&b, ": mean %.4g", l.Delivered)
			if ci {
				fmt.Fprintf(&b, " (95%% CI %.4g–%.4g)", l.CI[0], l.CI[1])
			}
			fmt.Fprintf(&b, " against %s", p.Objective)
		} else {
			fmt.Fprintf(&b, ": %.1f%% delivered", l.Delivered*100)
			if ci {
				fmt.Fprintf(&b, " (95%% CI %.1f–%.1f%%)", l.CI[0]*100, l.CI[1]*100)
			}
			fmt.Fprintf(&b, " against %s, gap %+.1f pp", p.Objective, l.Gap*100)
		}
		fmt.Fprintf(&b, " in the period from %s", l.Start.Format(time.DateOnly))
	}
	if m := p.Impact; m != nil && !math.IsNaN(m.RevenueAtRisk) {
		fmt.Fprintf(&b, "; %d customers affected, %s %.0f revenue at risk a year (churn %s)", m.CustomersAffected, m.Currency, m.RevenueAtRisk, m.Churn)
	}
	fmt.Fprintf(&b, ". “%s” Owner: %s", p.Says, p.Owner)
	if len(p.DeliveredBy) > 0 {
		fmt.Fprintf(&b, "; delivered by %s", strings.Join(p.DeliveredBy, ", "))
	}
	b.WriteString(".")
	return b.String()
}

func words(s saydo.Status) string {
	if s == "" {
		return "unknown"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}
