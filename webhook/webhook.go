// Package webhook delivers saydo's alerts to HTTP receivers, signed as
// Standard Webhooks are (https://www.standardwebhooks.com): a webhook-id
// that stays the same across retries, a webhook-timestamp in Unix seconds
// and a webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>"
// keyed with the secret's bytes (whsec_<base64>). Failed deliveries are
// retried with exponential backoff, and every attempt is reported to the
// caller so it can be logged.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// Header names of Standard Webhooks.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// ErrSecret is returned for a secret that is not whsec_<base64>.
var ErrSecret = errors.New("webhook secret: want whsec_<base64>")

// Key decodes a whsec_ secret into the HMAC key.
func Key(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, "whsec_")
	if !ok {
		return nil, ErrSecret
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(key) == 0 {
		return nil, ErrSecret
	}
	return key, nil
}

// Sign returns the webhook-signature value for one message:
// "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>".
func Sign(secret, id string, timestamp time.Time, body []byte) (string, error) {
	key, err := Key(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(timestamp.Unix(), 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Verify checks a received message as a Standard Webhooks receiver does:
// one of the space-separated v1 signatures must match, and the timestamp
// must be within tolerance of now.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sigs == "" {
		return errors.New("verify webhook: missing webhook-id, webhook-timestamp or webhook-signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("verify webhook: bad webhook-timestamp")
	}
	at := time.Unix(sec, 0)
	if d := now.Sub(at); d > tolerance || d < -tolerance {
		return errors.New("verify webhook: timestamp outside tolerance")
	}
	want, err := Sign(secret, id, at, body)
	if err != nil {
		return err
	}
	for _, s := range strings.Fields(sigs) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("verify webhook: no matching signature")
}

// NewSecret returns a new random secret, whsec_ and 32 bytes in base64.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b), nil
}

// NewMessageID returns a new message id, msg_ and 24 hex digits.
func NewMessageID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}

// DefaultBackoff is the wait before each retry: 5 s, 30 s, 2 min, 10 min,
// 30 min; five retries, six attempts in all.
var DefaultBackoff = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute}

// Sender posts messages to webhooks.
type Sender struct {
	Client *http.Client
	// Backoff lists the waits before each retry; its length is the number
	// of retries. Nil means DefaultBackoff.
	Backoff []time.Duration
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// Log is called after every attempt; may be nil.
	Log func(saydo.Delivery)
	// UserAgent names the sender.
	UserAgent string
}

// Message is one event to deliver to one webhook.
type Message struct {
	ID      string
	Event   string
	Subject string
	Body    []byte
}

// Send delivers m to alert, retrying with backoff on network errors,
// timeouts, 408, 429 and 5xx responses (honouring a Retry-After of seconds
// up to the next backoff step), until it is accepted, refused (another
// 4xx) or the retries run out. It returns the last attempt.
func (s *Sender) Send(ctx context.Context, alert saydo.Alert, secret string, m Message) saydo.Delivery {
	backoff := s.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	var d saydo.Delivery
	for attempt := 1; ; attempt++ {
		d = s.attempt(ctx, alert, secret, m, attempt)
		if s.Log != nil {
			s.Log(d)
		}
		if d.OK() || !retryable(d) || attempt > len(backoff) {
			return d
		}
		wait := backoff[attempt-1]
		if d.Status == http.StatusTooManyRequests && d.RetryAfter > 0 && d.RetryAfter < wait {
			wait = d.RetryAfter
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return d
		case <-t.C:
		}
	}
}

func retryable(d saydo.Delivery) bool {
	switch {
	case d.Status == 0:
		return true // no response: network error or timeout
	case d.Status == http.StatusRequestTimeout, d.Status == http.StatusTooManyRequests, d.Status >= 500:
		return true
	}
	return false
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) attempt(ctx context.Context, alert saydo.Alert, secret string, m Message, attempt int) saydo.Delivery {
	start := s.now()
	d := saydo.Delivery{MessageID: m.ID, Event: m.Event, Subject: m.Subject, URL: alert.URL, Attempt: attempt, At: start.UTC(), Body: string(m.Body)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, alert.URL, bytes.NewReader(m.Body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	if s.UserAgent != "" {
		req.Header.Set("User-Agent", s.UserAgent)
	}
	req.Header.Set(HeaderID, m.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(start.Unix(), 10))
	if secret != "" {
		sig, err := Sign(secret, m.ID, start, m.Body)
		if err != nil {
			d.Error = err.Error()
			return d
		}
		req.Header.Set(HeaderSignature, sig)
	}
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := client.Do(req)
	d.Duration = s.now().Sub(start)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	d.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		d.Error = resp.Status
		if sec, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && sec > 0 {
			d.RetryAfter = time.Duration(sec) * time.Second
		}
	}
	return d
}

// Describe is a one-line account of a delivery for people.
func Describe(d saydo.Delivery) string {
	if d.OK() {
		return fmt.Sprintf("delivered (HTTP %d, %d ms, attempt %d)", d.Status, d.Duration.Milliseconds(), d.Attempt)
	}
	return fmt.Sprintf("failed: %s (attempt %d)", d.Error, d.Attempt)
}
