package http

import (
	"context"
	"fmt"
	"html"
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

// TestPromisePageVoiceIntervals: what customers say about a promise is
// shown with the 95% intervals of its share negative, NPS, CSAT and CES,
// and how many answered.
func TestPromisePageVoiceIntervals(t *testing.T) {
	e := newTestEnv(t, func(cfg *Config) {
		cfg.Voice = func(ctx context.Context, ws *saydo.Workspace) (*VoiceReport, error) {
			return &VoiceReport{Feedback: 300, Promises: map[string]*saydo.PromiseVoice{"answer-in-2-min": {
				Mentions: 200, ShareNegative: 0.75, NegativeCI: &[2]float64{0.686, 0.805}, ShareAngry: 0.1, AngryCI: &[2]float64{0.066, 0.149},
				NPS: ptr(-25.0), NPSN: 120, NPSCI: &[2]float64{-39.8, -10.2},
				CSAT: ptr(56.3), CSATN: 80, CSATCI: &[2]float64{45.3, 66.6},
				CES: ptr(4.83), CESN: 6, CESCI: &[2]float64{2.8, 6.87},
				Quotes: []string{"I waited for ages on hold."}}}}, nil
		}
	})
	viewer, _ := e.login(saydo.RoleViewer)
	code, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/promises/answer-in-2-min", ""))
	for _, want := range []string{"75% negative <small>(95% CI 68.6%–80.5%)</small>", "10% angry <small>(95% CI 6.6%–14.9%)</small>", "NPS -25 <small>(95% CI -40 to -10, 120 answers)</small>",
		"CSAT 56% satisfied <small>(95% CI 45–67%, 80 answers)</small>", "effort score 4.8 of 7 <small>(95% CI 2.8–6.9, 6 answers)</small>"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("promise page: %d, lacks %q", code, want)
		}
	}
}

// TestOverviewNPSInterval: the overview's NPS tile gives the latest
// complete month's NPS with its 95% interval: 60 answers, 30 promoters
// and 12 detractors, NPS +30, interval +10.2377047528 to +49.7622952472
// by impact/testdata/reference.py's nps_interval(60, 30, 12) (mpmath),
// shown rounded; with one month there is no direction, and the tile does
// not say "unknown".
func TestOverviewNPSInterval(t *testing.T) {
	e := newTestEnv(t, nil)
	var days []saydo.VoiceDay
	for d := range 31 {
		days = append(days, saydo.VoiceDay{Day: time.Date(2025, 12, 1+d, 0, 0, 0, 0, time.UTC), Items: 2})
	}
	// December is complete when its answers reach its last day.
	days[3].NPSN, days[3].Promoters, days[3].Detractors = 59, 30, 12
	days[30].NPSN = 1
	if err := e.st.PutVoiceDays(t.Context(), "", "fp", days, true); err != nil {
		t.Fatal(err)
	}
	viewer, _ := e.login(saydo.RoleViewer)
	code, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/", ""))
	body = html.UnescapeString(body)
	if want := "latest complete month (60 answers, 95% CI +10 to +50)</div>"; code != 200 || !strings.Contains(body, want) {
		i := strings.Index(body, `class="label">NPS`)
		t.Errorf("overview: %d, lacks %q\n%.400s", code, want, body[max(i, 0):])
	}
}
