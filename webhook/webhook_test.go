package webhook

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// The test vector of the Standard Webhooks reference libraries
// (github.com/standard-webhooks/standard-webhooks, libraries/go/webhook_test.go,
// TestWebhookSign).
func TestSignVector(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign: got %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	at := time.Unix(1614265330, 0)
	sig, _ := Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", at, body)
	h := http.Header{}
	h.Set(HeaderID, "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set(HeaderTimestamp, "1614265330")
	h.Set(HeaderSignature, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "+sig)
	tests := []struct {
		name   string
		body   []byte
		now    time.Time
		header func(http.Header)
		ok     bool
	}{
		{"valid among several signatures", body, at, nil, true},
		{"tampered body", []byte(`{"test": 1}`), at, nil, false},
		{"old timestamp", body, at.Add(6 * time.Minute), nil, false},
		{"wrong id", body, at, func(h http.Header) { h.Set(HeaderID, "msg_other") }, false},
		{"missing signature", body, at, func(h http.Header) { h.Del(HeaderSignature) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hh := h.Clone()
			if tt.header != nil {
				tt.header(hh)
			}
			err := Verify(secret, hh, tt.body, tt.now, 5*time.Minute)
			if (err == nil) != tt.ok {
				t.Errorf("Verify: got %v, want ok=%v", err, tt.ok)
			}
		})
	}
	if _, err := Key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); err == nil {
		t.Error("Key without whsec_: want an error")
	}
	s, err := NewSecret()
	if err != nil || !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("NewSecret: %q, %v", s, err)
	}
	if k, err := Key(s); err != nil || len(k) != 32 {
		t.Errorf("NewSecret makes %d bytes, %v; want 32", len(k), err)
	}
}

// receiver is a real HTTP server on 127.0.0.1 that fails the first few
// requests, then verifies and accepts.
type receiver struct {
	mu       sync.Mutex
	fail     int
	status   int
	got      []http.Header
	bodies   []string
	verified []error
}

func (rc *receiver) start(t *testing.T, secret string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.got = append(rc.got, r.Header.Clone())
		rc.bodies = append(rc.bodies, string(b))
		rc.verified = append(rc.verified, Verify(secret, r.Header, b, time.Now(), 5*time.Minute))
		if len(rc.got) <= rc.fail {
			w.WriteHeader(rc.status)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/hook"
}

func TestSendRetriesUntilAccepted(t *testing.T) {
	secret, _ := NewSecret()
	rc := &receiver{fail: 2, status: http.StatusServiceUnavailable}
	url := rc.start(t, secret)
	var log []saydo.Delivery
	s := &Sender{Backoff: []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}, Log: func(d saydo.Delivery) { log = append(log, d) }}
	m := Message{ID: NewMessageID(), Event: saydo.EventStatusChanged, Subject: "promise:answer", Body: []byte(`{"type":"status_changed"}`)}
	d := s.Send(context.Background(), saydo.Alert{URL: url}, secret, m)
	if !d.OK() || d.Attempt != 3 {
		t.Fatalf("Send: got %+v, want delivered on attempt 3", d)
	}
	if len(log) != 3 || log[0].Status != 503 || log[0].OK() || !log[2].OK() {
		t.Errorf("log: got %+v, want 503, 503, 204", log)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i, h := range rc.got {
		if h.Get(HeaderID) != m.ID {
			t.Errorf("attempt %d: webhook-id %q, want %q on every attempt", i+1, h.Get(HeaderID), m.ID)
		}
		if rc.verified[i] != nil {
			t.Errorf("attempt %d: the receiver could not verify the signature: %v", i+1, rc.verified[i])
		}
		if rc.bodies[i] != string(m.Body) {
			t.Errorf("attempt %d: body %q", i+1, rc.bodies[i])
		}
	}
}

func TestSendGivesUp(t *testing.T) {
	secret, _ := NewSecret()
	t.Run("refused", func(t *testing.T) {
		rc := &receiver{fail: 100, status: http.StatusBadRequest}
		url := rc.start(t, secret)
		s := &Sender{Backoff: []time.Duration{time.Millisecond, time.Millisecond}}
		d := s.Send(context.Background(), saydo.Alert{URL: url}, secret, Message{ID: "msg_1", Body: []byte(`{}`)})
		if d.OK() || d.Attempt != 1 || d.Status != 400 {
			t.Errorf("a 400 is not retried: got %+v", d)
		}
	})
	t.Run("retries run out", func(t *testing.T) {
		rc := &receiver{fail: 100, status: http.StatusBadGateway}
		url := rc.start(t, secret)
		s := &Sender{Backoff: []time.Duration{time.Millisecond, time.Millisecond}}
		d := s.Send(context.Background(), saydo.Alert{URL: url}, secret, Message{ID: "msg_1", Body: []byte(`{}`)})
		if d.OK() || d.Attempt != 3 || d.Error == "" {
			t.Errorf("two retries: got %+v, want 3 failed attempts", d)
		}
	})
	t.Run("nobody listening", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		s := &Sender{Backoff: []time.Duration{time.Millisecond}}
		d := s.Send(context.Background(), saydo.Alert{URL: "http://" + addr + "/"}, secret, Message{ID: "msg_1", Body: []byte(`{}`)})
		if d.OK() || d.Attempt != 2 || d.Status != 0 || d.Error == "" {
			t.Errorf("connection refused: got %+v, want 2 failed attempts without status", d)
		}
	})
}

// TestSentence: the chat line gives the latest period's figure with its
// 95% interval.
func TestSentence(t *testing.T) {
	obj := saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}
	p := &saydo.PromiseGap{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Owner: "marketing", Status: saydo.Broken, Objective: obj,
		Latest: &saydo.PeriodGap{Start: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), Delivered: 0.847, CI: [2]float64{0.842, 0.852}, Gap: 0.053}}
	got := Sentence(Event{Type: saydo.EventStatusChanged, Promise: p, Previous: saydo.AlertState{Status: saydo.AtRisk}})
	want := "answer-in-2-min is now broken (was at risk): 84.7% delivered (95% CI 84.2–85.2%) against " + obj.String() + ", gap +5.3 pp in the period from 2026-11-16"
	if !strings.HasPrefix(got, want) {
		t.Errorf("Sentence = %q, want it to start %q", got, want)
	}
}
