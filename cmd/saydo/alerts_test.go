package main

import (
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
