package http

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestHiddenBreachPages: a promise kept overall and broken in one region
// shows the breach on the overview (row and tile) and on its page, and the
// overview's range form refuses a range that runs backwards with a 400 and
// the reason, still showing the default view.
func TestHiddenBreachPages(t *testing.T) {
	e := newTestEnv(t, nil)
	// fix-fast (mean ≤ 4 h) is kept overall at about 3.75 h; the east takes
	// 6 h in the week of 19 Jan, the latest complete week.
	var b strings.Builder
	at := time.Date(2026, 1, 20, 8, 0, 0, 0, time.UTC)
	for i := range 20 {
		fmt.Fprintf(&b, `{"metric":"fix_hours","value":%g,"at":%q,"region":"east","id":"east-%d"}`+"\n", 5.5+float64(i%3)*0.5, at.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), i)
	}
	e.ingestRows(b.String())
	viewer, _ := e.login(saydo.RoleViewer)
	code, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/", ""))
	if code != 200 {
		t.Fatalf("overview: %d\n%s", code, body)
	}
	for _, want := range []string{"broken for region=east", "while kept overall", "Holm-adjusted", `id="tiles"`, "hidden breach", "week of 19 Jan"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	code, body = e.send(viewer, mustReq(t, "GET", e.ts.URL+"/promises/fix-fast", ""))
	if code != 200 || !strings.Contains(body, `id="broken-segments"`) || !strings.Contains(body, "region=east") {
		t.Errorf("promise page: %d, want the hidden breach listed", code)
	}
	code, body = e.send(viewer, mustReq(t, "GET", e.ts.URL+"/?from=2026-02-01&to=2026-01-01", ""))
	if code != 400 || !strings.Contains(body, `id="range-problem"`) || !strings.Contains(body, `id="overview"`) {
		t.Errorf("backwards range: %d, want 400 with the problem and the default view", code)
	}
}

// TestPromisePageSaysPeriodsRunInStreaks: thirty weeks whose mean wanders
// in streaks (a seeded first-order autoregressive series, lag-1
// correlation 0.8, around 3.6 h against fix-fast's 4 h) are autocorrelated; the promise
// page says the trend allows for it.
func TestPromisePageSaysPeriodsRunInStreaks(t *testing.T) {
	e := newTestEnv(t, nil)
	var b strings.Builder
	rng := rand.New(rand.NewPCG(3, 30))
	start := time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC) // a Monday
	u := 0.0
	for w := range 30 {
		u = 0.8*u + 0.6*rng.NormFloat64()
		for i := range 10 {
			at := start.AddDate(0, 0, 7*w).Add(time.Duration(i) * time.Hour)
			fmt.Fprintf(&b, `{"metric":"fix_hours","value":%.3f,"at":%q,"id":"s-%d-%d"}`+"\n", 3.6+0.1*u+0.2*rng.NormFloat64(), at.Format(time.RFC3339), w, i)
		}
	}
	e.ingestRows(b.String())
	viewer, _ := e.login(saydo.RoleViewer)
	code, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/promises/fix-fast", ""))
	if code != 200 || !strings.Contains(body, `id="streaks"`) || !strings.Contains(body, "weeks run in streaks") {
		_, api := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/api/v1/gaps?promise=fix-fast", ""))
		t.Errorf("promise page: %d, want the streak line\n%s", code, api)
	}
}
