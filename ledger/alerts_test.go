package ledger_test

import (
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

func TestDetectAlerts(t *testing.T) {
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	pg := func(id string, s saydo.Status, d saydo.Direction) saydo.PromiseGap {
		return saydo.PromiseGap{ID: id, Status: s, Trend: saydo.Trend{Direction: d}}
	}
	rep := &saydo.GapReport{Promises: []saydo.PromiseGap{
		pg("new", saydo.Broken, saydo.Widening),    // first seen: recorded, no event
		pg("broke", saydo.Broken, saydo.Steady),    // kept → broken
		pg("turned", saydo.AtRisk, saydo.Widening), // steady → widening
		pg("both", saydo.Broken, saydo.Widening),   // kept, narrowing → broken, widening
		pg("eased", saydo.AtRisk, saydo.Narrowing), // widening → narrowing: no trend event
		pg("same", saydo.Kept, saydo.Steady),       // unchanged
	}}
	st := func(s saydo.Status, d saydo.Direction) saydo.AlertState {
		return saydo.AlertState{Status: s, Direction: d}
	}
	prev := map[string]saydo.AlertState{
		"promise:broke":  st(saydo.Kept, saydo.Steady),
		"promise:turned": st(saydo.AtRisk, saydo.Steady),
		"promise:both":   st(saydo.Kept, saydo.Narrowing),
		"promise:eased":  st(saydo.AtRisk, saydo.Widening),
		"promise:same":   st(saydo.Kept, saydo.Steady),
	}
	events, next := ledger.DetectAlerts(prev, rep, now)
	var got []string
	for _, e := range events {
		got = append(got, e.Type+" "+e.Subject+" was "+string(e.Previous.Status))
	}
	want := []string{
		"status_changed promise:broke was kept",
		"trend_changed promise:turned was at_risk",
		"status_changed promise:both was kept",
		"trend_changed promise:both was kept",
	}
	if len(got) != len(want) {
		t.Fatalf("events: got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: got %q, want %q", i, got[i], want[i])
		}
	}
	subjects := map[string]saydo.AlertState{}
	for _, s := range next {
		subjects[s.Subject] = s
	}
	if len(next) != 5 || subjects["promise:new"].Status != saydo.Broken || subjects["promise:eased"].Direction != saydo.Narrowing {
		t.Errorf("states to store: got %+v, want new, broke, turned, both, eased (not same)", next)
	}
	if _, ok := subjects["promise:same"]; ok {
		t.Error("an unchanged promise's state is stored again")
	}
}
