package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// testReportCache checks the report cache and that the feedback version
// moves with every feedback write, committed or not.
func testReportCache(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	v, body, err := s.CachedReport(ctx, "outcome|p")
	if err != nil || v != "" || body != nil {
		t.Fatalf("CachedReport on an empty store: got %q, %q, %v; want \"\", nil, nil", v, body, err)
	}
	if err := s.PutCachedReport(ctx, "outcome|p", "v1", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutCachedReport(ctx, "outcome|p", "v2", []byte(`{"a":2}`)); err != nil {
		t.Fatal(err)
	}
	if v, body, err = s.CachedReport(ctx, "outcome|p"); err != nil || v != "v2" || string(body) != `{"a":2}` {
		t.Errorf("CachedReport: got %q, %q, %v; want v2, {\"a\":2}", v, body, err)
	}
	v0, err := s.FeedbackVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	item := saydo.Feedback{Key: 7, At: base, Text: "slow", Customer: "c1", NPS: 3, CSAT: nan, CES: nan, Rating: nan,
		Analysis: saydo.Analysis{Sentiment: nan}}
	insertFeedback(t, s, []saydo.Feedback{item})
	v1, err := s.FeedbackVersion(ctx)
	if err != nil || v1 == v0 {
		t.Errorf("FeedbackVersion after an insert: got %d, %v; want a change from %d", v1, err, v0)
	}
	insertFeedback(t, s, []saydo.Feedback{item}) // a duplicate changes nothing stored
	tx, err := s.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	item.Key = 8
	if _, _, err := tx.Insert([]saydo.Feedback{item}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if v2, err := s.FeedbackVersion(ctx); err != nil || v2 < v1 {
		t.Errorf("FeedbackVersion after a rollback: got %d, %v; want at least %d", v2, err, v1)
	}
	// Re-analysis changes nothing outcome linkage reads.
	v2, _ := s.FeedbackVersion(ctx)
	item.Key = 7
	item.Analysis = saydo.Analysis{Sentiment: -0.9, Label: "negative", Anger: true}
	if err := s.UpdateAnalysis(ctx, []saydo.Feedback{item}); err != nil {
		t.Fatal(err)
	}
	if v3, err := s.FeedbackVersion(ctx); err != nil || v3 != v2 {
		t.Errorf("FeedbackVersion after a re-analysis: got %d, %v; want %d (unchanged)", v3, err, v2)
	}
	// A replaced item (same key, another score) changes it.
	item.NPS = 10
	tx, err = s.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, r, err := tx.Insert([]saydo.Feedback{item}); err != nil || r != 1 {
		t.Fatalf("replace: %d replaced, %v", r, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if v4, err := s.FeedbackVersion(ctx); err != nil || v4 == v2 {
		t.Errorf("FeedbackVersion after a replaced item: got %d, %v; want a change from %d", v4, err, v2)
	}
}

// RunAlerts runs the conformance tests of an AlertStore; open must return a
// new, empty store for each call, which RunAlerts closes.
func RunAlerts(t *testing.T, open func(t *testing.T) interface {
	saydo.AlertStore
	Close() error
}) {
	t.Run("AlertStates", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := t.Context()
		got, err := s.AlertStates(ctx)
		if err != nil || len(got) != 0 {
			t.Fatalf("AlertStates on an empty store: got %v, %v", got, err)
		}
		at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
		for _, a := range []saydo.AlertState{
			{Subject: "promise:answer", Status: saydo.Kept, Direction: saydo.Steady, At: at},
			{Subject: "promise:answer", Status: saydo.Broken, Direction: saydo.Widening, At: at.Add(time.Hour)},
			{Subject: "journeys", Conflicts: 42, Status: saydo.NoData, Direction: saydo.Unknown, At: at},
		} {
			if err := s.PutAlertState(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err = s.AlertStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]saydo.AlertState{
			"promise:answer": {Subject: "promise:answer", Status: saydo.Broken, Direction: saydo.Widening, At: at.Add(time.Hour)},
			"journeys":       {Subject: "journeys", Conflicts: 42, Status: saydo.NoData, Direction: saydo.Unknown, At: at},
		}
		if len(got) != len(want) {
			t.Fatalf("AlertStates: got %v, want %v", got, want)
		}
		for k, w := range want {
			g := got[k]
			if g.Subject != w.Subject || g.Status != w.Status || g.Direction != w.Direction || g.Conflicts != w.Conflicts || !g.At.Equal(w.At) {
				t.Errorf("AlertStates[%s]: got %+v, want %+v", k, g, w)
			}
		}
	})
	t.Run("Deliveries", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := t.Context()
		at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
		for i := 1; i <= 3; i++ {
			d := saydo.Delivery{MessageID: "msg_1", Event: saydo.EventStatusChanged, Subject: "promise:answer",
				URL: "https://hooks.example.com/x", Attempt: i, At: at.Add(time.Duration(i) * time.Second),
				Status: 503, Error: "503 Service Unavailable", Duration: 12 * time.Millisecond, Body: `{"type":"status_changed"}`}
			if i == 3 {
				d.Status, d.Error = 200, ""
			}
			if err := s.LogDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Deliveries(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Attempt != 3 || !got[0].OK() || got[1].Attempt != 2 || got[1].OK() {
			t.Fatalf("Deliveries(2): got %+v, want attempts 3 (ok) then 2 (failed)", got)
		}
		if g := got[1]; g.MessageID != "msg_1" || g.Status != 503 || g.Error == "" || g.Duration != 12*time.Millisecond ||
			g.Body != `{"type":"status_changed"}` || !g.At.Equal(at.Add(2*time.Second)) || g.URL != "https://hooks.example.com/x" {
			t.Errorf("delivery: got %+v", g)
		}
	})
}
