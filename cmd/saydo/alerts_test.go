package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saydo/saydo/webhook"
)

// hookReceiver is a real webhook receiver on 127.0.0.1 that verifies every
// request's Standard Webhooks signature.
type hookReceiver struct {
	mu     sync.Mutex
	bodies []string
	errs   []error
}

func startReceiver(t *testing.T, secret string) string {
	t.Helper()
	rc := &hookReceiver{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, string(b))
		rc.errs = append(rc.errs, webhook.Verify(secret, r.Header, b, time.Now(), 5*time.Minute))
		rc.mu.Unlock()
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	receivers[ln.Addr().String()] = rc
	return ln.Addr().String()
}

var receivers = map[string]*hookReceiver{}

func (rc *hookReceiver) take() ([]string, []error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	b, e := rc.bodies, rc.errs
	rc.bodies, rc.errs = nil, nil
	return b, e
}

func weekOfWaits(monday string, n, slow int) string {
	var b strings.Builder
	b.WriteString("metric,value,at\n")
	day, _ := time.Parse(time.DateOnly, monday)
	for i := range n {
		v := 30
		if i < slow {
			v = 400
		}
		fmt.Fprintf(&b, "call_wait_seconds,%d,%s\n", v, day.Add(time.Duration(i)*7*24*time.Hour/time.Duration(n)).Format(time.RFC3339))
	}
	return b.String()
}

func TestAlertsRunSendsSignedEvents(t *testing.T) {
	secret, _ := webhook.NewSecret()
	addr := startReceiver(t, secret)
	ws := testWorkspace + fmt.Sprintf(`alerts:
  - url: http://%s/hook
    secret: %s
  - url: http://%s/slack
    format: slack
    events: [status_changed]
`, addr, secret, addr)
	dir := newWorkspace(t, ws)
	writeFile(t, dir, "w1.csv", weekOfWaits("2026-11-02", 100, 2))
	if _, errs, code := runSaydo(t, "", "ingest", "observations", "--workspace", dir, dir+"/w1.csv"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	out, errs, code := runSaydo(t, "", "alerts", "run", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "0 events sent") {
		t.Fatalf("first run: code %d, %q %q; want 0 events (states recorded)", code, out, errs)
	}
	// The next week breaks the promise: a status change.
	writeFile(t, dir, "w2.csv", weekOfWaits("2026-11-09", 100, 40))
	if _, errs, code := runSaydo(t, "", "ingest", "observations", "--workspace", dir, dir+"/w2.csv"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	out, errs, code = runSaydo(t, "", "alerts", "run", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "2 events sent") {
		t.Fatalf("second run: code %d, %q %q; want 2 deliveries (standard and slack)", code, out, errs)
	}
	bodies, verrs := receivers[addr].take()
	if len(bodies) != 2 {
		t.Fatalf("receiver got %d requests, want 2: %q", len(bodies), bodies)
	}
	var standard struct {
		Type string `json:"type"`
		Data struct {
			Promise  struct{ ID string }     `json:"promise"`
			Previous struct{ Status string } `json:"previous"`
			Current  struct{ Status string } `json:"current"`
		} `json:"data"`
	}
	var slack struct{ Text string }
	for i, b := range bodies {
		if strings.Contains(b, `"type"`) {
			if verrs[i] != nil {
				t.Errorf("standard event: signature does not verify: %v", verrs[i])
			}
			json.Unmarshal([]byte(b), &standard)
		} else { // the slack webhook has no secret
			json.Unmarshal([]byte(b), &slack)
		}
	}
	if standard.Type != "status_changed" || standard.Data.Promise.ID != "answer-in-2-min" || standard.Data.Previous.Status != "kept" || standard.Data.Current.Status != "broken" {
		t.Errorf("standard event: got %+v", standard)
	}
	if !strings.Contains(slack.Text, "answer-in-2-min is now broken (was kept)") {
		t.Errorf("slack text: got %q", slack.Text)
	}
	// Nothing changed since: no events.
	if out, _, _ := runSaydo(t, "", "alerts", "run", "--workspace", dir); !strings.Contains(out, "0 events sent") {
		t.Errorf("third run: %q, want 0 events", out)
	}
	out, _, code = runSaydo(t, "", "alerts", "log", "--workspace", dir, "--format", "json")
	var log struct {
		Deliveries []struct {
			Event  string `json:"event"`
			Status int    `json:"status"`
			OK     bool   `json:"ok"`
		} `json:"deliveries"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != 0 || len(log.Deliveries) != 2 || !log.Deliveries[0].OK {
		t.Errorf("alerts log: code %d, %v, %s", code, err, out)
	}
}

func TestAlertsTest(t *testing.T) {
	secret, _ := webhook.NewSecret()
	addr := startReceiver(t, secret)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	dir := newWorkspace(t, testWorkspace+fmt.Sprintf(`alerts:
  - url: http://%s/hook
    secret: ${HOOK_SECRET}
  - url: http://%s/gone
    secret: %s
`, addr, dead, secret))
	out, _, code := runSaydo(t, "", "alerts", "test", "--workspace", dir)
	if code != 1 || !strings.Contains(out, "${HOOK_SECRET}, which is not set") || !strings.Contains(out, "failed") {
		t.Errorf("test with an unset secret and a dead receiver: code %d, %q; want 1 and both reported", code, out)
	}
	if out, _, code := runSaydo(t, "", "alerts", "test", "--workspace", dir, "--url", "http://nowhere/"); code != 2 {
		t.Errorf("--url not configured: code %d, %q; want 2", code, out)
	}
	if out, _, code := runSaydo(t, "", "alerts", "secret"); code != 0 || !strings.HasPrefix(out, "whsec_") {
		t.Errorf("alerts secret: %q, %d", out, code)
	}
}

// runSaydoAt is runSaydo with the clock at now.
func runSaydoAt(t *testing.T, now time.Time, args ...string) (string, string, int) {
	t.Helper()
	var out, errb strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, now: func() time.Time { return now }}
	code := run(context.Background(), e, args)
	return out.String(), errb.String(), code
}

func TestAlertsJourneyConflicts(t *testing.T) {
	secret, _ := webhook.NewSecret()
	addr := startReceiver(t, secret)
	dir := newWorkspace(t, journeyWorkspaceYAML+fmt.Sprintf(`alerts:
  - url: http://%s/hook
    secret: %s
    events: [journey_conflicts]
`, addr, secret))
	// One offer during an open complaint a week in the four weeks of
	// 12 Oct – 8 Nov, then twelve in the week of 9 Nov.
	var fb, contacts strings.Builder
	fb.WriteString("id,at,customer,kind,text\n")
	contacts.WriteString("id,customer,at,department,channel,intent\n")
	mondays := []string{"2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"}
	n := 0
	add := func(day string) {
		n++
		fmt.Fprintf(&fb, "k%d,%sT08:00:00Z,cust%d,complaint,Nobody answers\n", n, day, n)
		fmt.Fprintf(&contacts, "o%d,cust%d,%sT12:00:00Z,marketing,sms,offer\n", n, n, day)
	}
	for _, d := range mondays {
		add(d)
	}
	for range 12 {
		add("2026-11-10")
	}
	writeFile(t, dir, "fb.csv", fb.String())
	writeFile(t, dir, "contacts.csv", contacts.String())
	if _, errs, code := runSaydo(t, "", "ingest", "feedback", "--workspace", dir, dir+"/fb.csv"); code != 0 {
		t.Fatalf("ingest feedback: %s", errs)
	}
	if _, errs, code := runSaydo(t, "", "ingest", "contacts", "--workspace", dir, dir+"/contacts.csv"); code != 0 {
		t.Fatalf("ingest contacts: %s", errs)
	}
	// A week earlier the last complete week was 2 Nov: recorded, no event.
	if out, errs, code := runSaydoAt(t, time.Date(2026, 11, 15, 10, 0, 0, 0, time.UTC), "alerts", "run", "--workspace", dir); code != 0 || !strings.Contains(out, "0 events sent") {
		t.Fatalf("first run: %d %q %q", code, out, errs)
	}
	out, errs, code := runSaydo(t, "", "alerts", "run", "--workspace", dir) // the clock of runSaydo: 22 Nov
	if code != 0 || !strings.Contains(out, "1 events sent") {
		t.Fatalf("second run: %d %q %q; want the spike of 9 Nov sent", code, out, errs)
	}
	bodies, verrs := receivers[addr].take()
	if len(bodies) != 1 || verrs[0] != nil {
		t.Fatalf("receiver: %q %v", bodies, verrs)
	}
	var ev struct {
		Type string `json:"type"`
		Data struct {
			Journeys struct {
				Week      string           `json:"week"`
				Conflicts int64            `json:"conflicts"`
				Expected  float64          `json:"expected"`
				Spiked    bool             `json:"spiked"`
				ByRule    map[string]int64 `json:"by_rule"`
			} `json:"journeys"`
			Summary string `json:"summary"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(bodies[0]), &ev); err != nil {
		t.Fatal(err)
	}
	j := ev.Data.Journeys
	if ev.Type != "journey_conflicts" || !j.Spiked || j.Conflicts != 12 || j.Expected != 1 || j.ByRule["journey.OfferAfterComplaint"] != 12 || !strings.HasPrefix(j.Week, "2026-11-09") {
		t.Errorf("event: %s", bodies[0])
	}
	if out, _, _ := runSaydo(t, "", "alerts", "run", "--workspace", dir); !strings.Contains(out, "0 events sent") {
		t.Errorf("the same week again: %q, want no event", out)
	}
}
