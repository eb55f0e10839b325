package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/webhook"
)

func init() { extraCommands = append(extraCommands, alertsCommand) }

var alertsCommand = &command{
	name:  "alerts",
	args:  "secret | test [--url URL] [--promise ID] | run | log [--limit N] [--format table|json]",
	short: "webhooks that tell owners when a promise breaks: make a secret, test, send, read the log",
	help: `saydo serve checks the promises every --alert-every (default 1m) and posts an
event to every webhook in saydo.yaml's alerts: that subscribes to it:

  status_changed     a promise's status changed (kept, at_risk, broken, no_data)
  trend_changed      a promise's current direction turned to widening
  journey_conflicts  journey conflicts spiked in the last complete week (tested
                     against the 4 weeks before, allowing for their noise and
                     dispersion, p < 0.01, and 1.5× their mean)

alerts:
  - url: https://hooks.example.com/saydo
    secret: ${SAYDO_ALERT_SECRET}      # or whsec_<base64> (saydo alerts secret)
    events: [status_changed, trend_changed]
  - url: https://hooks.slack.com/services/T000/B000/XXXX
    format: slack                      # a Slack-compatible {"text": ...} message

Events are signed as Standard Webhooks are: webhook-id (the same on every
retry), webhook-timestamp (Unix seconds) and webhook-signature
(v1,<base64 HMAC-SHA256 of "id.timestamp.body">, keyed with the secret's
bytes). A failed delivery (no answer, 408, 429 or 5xx) is retried after
5 s, 30 s, 2 min, 10 min and 30 min; every attempt is logged (saydo alerts log,
GET /api/v1/alerts/deliveries, the dashboard's Alerts page, for admins).
The first check after a start records each promise's state without sending.

Subcommands:
  secret   print a new signing secret (whsec_ and 32 random bytes)
  test     send a test event (the first promise, or --promise) to every
           webhook, or to --url only, once, without retries; exit 1 if any fails
  run      check once and send what changed, as saydo serve does (for cron)
  log      the latest delivery attempts

Examples:
  export SAYDO_ALERT_SECRET=$(saydo alerts secret)
  saydo alerts test
  saydo alerts log --limit 20`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "url", "", "test only the webhook with this `URL`")
		o.defStr(fs, "promise", "", "test with the promise `ID` (default: the first)")
		o.defInt(fs, "limit", 50, "show the latest `N` deliveries")
		o.defStr(fs, "format", "table", "log output `table|json`")
	},
	run: runAlerts,
}

func runAlerts(ctx context.Context, e *env, o options, args []string) error {
	if len(args) == 0 {
		return usageError{"want a subcommand: secret, test, run or log"}
	}
	if len(args) > 1 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[1])}
	}
	switch args[0] {
	case "secret":
		s, err := webhook.NewSecret()
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, s)
		return nil
	case "test":
		return alertsTest(ctx, e, o)
	case "run":
		ws, st, err := openAlertStore(ctx, e, o)
		if err != nil {
			return err
		}
		defer st.Close()
		w := newAlertWatcher(e, slog.New(slog.NewTextHandler(e.stderr, nil)), st)
		w.sender.Backoff = []time.Duration{}
		n, err := w.check(ctx, ws)
		w.wait()
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d events sent (saydo alerts log shows each delivery).\n", n)
		return nil
	case "log":
		return alertsLog(ctx, e, o)
	}
	return usageError{fmt.Sprintf("unknown subcommand %q: want secret, test, run or log", args[0])}
}

type alertStore interface {
	saydo.Store
	saydo.AlertStore
}

func openAlertStore(ctx context.Context, e *env, o options) (*saydo.Workspace, alertStore, error) {
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return nil, nil, err
	}
	as, ok := st.(alertStore)
	if !ok {
		st.Close()
		return nil, nil, errors.New("this store does not keep alert states and deliveries")
	}
	return ws, as, nil
}

var envRef = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)

// alertSecret resolves an alert's secret: ${NAME} reads the environment.
func alertSecret(e *env, a saydo.Alert) (string, error) {
	m := envRef.FindStringSubmatch(a.Secret)
	if m == nil {
		return a.Secret, nil
	}
	s := e.getenv(m[1])
	if s == "" {
		return "", fmt.Errorf("alert %s: the secret is ${%s}, which is not set", a.URL, m[1])
	}
	if _, err := webhook.Key(s); err != nil {
		return "", fmt.Errorf("alert %s: $%s: %v", a.URL, m[1], err)
	}
	return s, nil
}

func alertsTest(ctx context.Context, e *env, o options) error {
	ws, st, err := openAlertStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	var targets []saydo.Alert
	for _, a := range ws.Alerts {
		if o.str("url") == "" || a.URL == o.str("url") {
			targets = append(targets, a)
		}
	}
	if len(targets) == 0 {
		if o.str("url") != "" {
			return usageError{fmt.Sprintf("--url %s: no such webhook in saydo.yaml's alerts:", o.str("url"))}
		}
		return problems("no webhooks: add alerts: to saydo.yaml (saydo alerts --help shows how)")
	}
	q := ledger.GapQuery{Promise: o.str("promise")}
	if q.Promise == "" && len(ws.Promises) > 0 {
		q.Promise = ws.Promises[0].ID
	}
	rep, err := ledger.GapReport(ctx, st, ws, q, e.now())
	if err != nil {
		return err
	}
	if len(rep.Promises) == 0 {
		return problems("no promise to send a test event about")
	}
	pg := &rep.Promises[0]
	ev := webhook.Event{Type: saydo.EventStatusChanged, Company: ws.Company, Promise: pg, Test: true,
		Previous: saydo.AlertState{Status: pg.Status, Direction: pg.Trend.Direction}}
	s := &webhook.Sender{Backoff: []time.Duration{}, UserAgent: "saydo/" + version(),
		Log: func(d saydo.Delivery) {
			if err := st.LogDelivery(ctx, d); err != nil {
				fmt.Fprintf(e.stderr, "saydo alerts: log delivery: %v\n", err)
			}
		}}
	failed := 0
	for _, a := range targets {
		secret, err := alertSecret(e, a)
		if err != nil {
			fmt.Fprintf(e.stdout, "%s: %v\n", a.URL, err)
			failed++
			continue
		}
		body, err := webhook.Body(a.Format, ev, e.now())
		if err != nil {
			return err
		}
		d := s.Send(ctx, a, secret, webhook.Message{ID: webhook.NewMessageID(), Event: ev.Type, Subject: ledger.PromiseSubject(pg.ID), Body: body})
		fmt.Fprintf(e.stdout, "%s (%s): %s\n", a.URL, a.Format, webhook.Describe(d))
		if !d.OK() {
			failed++
		}
	}
	if failed > 0 {
		return problems("%d of %d webhooks failed", failed, len(targets))
	}
	return nil
}

func alertsLog(ctx context.Context, e *env, o options) error {
	switch o.str("format") {
	case "table", "json":
	default:
		return usageError{fmt.Sprintf("--format %q: want table or json", o.str("format"))}
	}
	_, st, err := openAlertStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	ds, err := st.Deliveries(ctx, o.integer("limit"))
	if err != nil {
		return err
	}
	if o.str("format") == "json" {
		if ds == nil {
			ds = []saydo.Delivery{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"deliveries": ds})
	}
	writeDeliveries(e.stdout, ds)
	return nil
}

func writeDeliveries(w io.Writer, ds []saydo.Delivery) {
	if len(ds) == 0 {
		fmt.Fprintln(w, "No deliveries yet.")
		return
	}
	fmt.Fprintf(w, "%-20s %-17s %-28s %-7s %6s %7s  %s\n", "AT", "EVENT", "SUBJECT", "ATTEMPT", "STATUS", "MS", "URL / ERROR")
	for _, d := range ds {
		status := fmt.Sprint(d.Status)
		if d.Status == 0 {
			status = "—"
		}
		detail := d.URL
		if !d.OK() {
			detail += "  " + d.Error
		}
		fmt.Fprintf(w, "%-20s %-17s %-28s %-7d %6s %7d  %s\n", d.At.Format(time.RFC3339), d.Event, clip(d.Subject, 28), d.Attempt, status, d.Duration.Milliseconds(), detail)
	}
}

// alertWatcher checks promises and sends what changed.
type alertWatcher struct {
	e      *env
	log    *slog.Logger
	st     alertStore
	sender *webhook.Sender
	wg     sync.WaitGroup
}

func newAlertWatcher(e *env, log *slog.Logger, st alertStore) *alertWatcher {
	w := &alertWatcher{e: e, log: log, st: st}
	w.sender = &webhook.Sender{UserAgent: "saydo/" + version(), Log: func(d saydo.Delivery) {
		// Log with a fresh context: a retry may outlive the check.
		if err := st.LogDelivery(context.Background(), d); err != nil {
			log.Error("log delivery", "err", err)
		}
		if !d.OK() {
			log.Warn("webhook delivery failed", "url", d.URL, "event", d.Event, "subject", d.Subject, "attempt", d.Attempt, "err", d.Error)
		}
	}}
	return w
}

// run checks every interval until ctx ends.
func (w *alertWatcher) run(ctx context.Context, workspace func() (*saydo.Workspace, error), every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if ws, err := workspace(); err == nil && len(ws.Alerts) > 0 {
			check := func(ctx context.Context) error {
				_, err := w.check(ctx, ws)
				return err
			}
			var err error
			if ex, ok := w.st.(saydo.Exclusive); ok {
				// Servers sharing a store (PostgreSQL) take turns, so an
				// event is sent once, not once per server.
				_, err = ex.Exclusively(ctx, "alerts", check)
			} else {
				err = check(ctx)
			}
			if err != nil && ctx.Err() == nil {
				w.log.Error("alerts check", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// check computes the report, sends an event for every change to every
// webhook subscribed to it, stores the new states and returns how many
// deliveries it started. Deliveries and their retries run in the
// background (wait waits for them).
func (w *alertWatcher) check(ctx context.Context, ws *saydo.Workspace) (int, error) {
	now := w.e.now()
	rep, err := ledger.GapReport(ctx, w.st, ws, ledger.GapQuery{}, now)
	if err != nil {
		return 0, err
	}
	prev, err := w.st.AlertStates(ctx)
	if err != nil {
		return 0, err
	}
	events, next := ledger.DetectAlerts(prev, rep, now)
	if subscribed(ws.Alerts, saydo.EventJourneyConflicts) {
		spike, err := ledger.DetectJourneySpike(ctx, w.st, ws, now)
		if err != nil {
			return 0, fmt.Errorf("journey conflicts: %w", err)
		}
		ev, state := ledger.DetectJourneyAlert(prev, spike, now)
		if ev != nil {
			events = append(events, *ev)
		}
		if state != nil {
			next = append(next, *state)
		}
	}
	sent := 0
	for _, a := range ws.Alerts {
		secret, err := alertSecret(w.e, a)
		if err != nil {
			if len(events) > 0 {
				w.log.Error("alert not sent", "err", err)
			}
			continue
		}
		for _, ev := range events {
			if !slices.Contains(a.Events, ev.Type) {
				continue
			}
			body, err := webhook.Body(a.Format, webhook.Event{Type: ev.Type, Company: ws.Company, Promise: ev.Promise, Journeys: ev.Journeys, Previous: ev.Previous}, now)
			if err != nil {
				return sent, err
			}
			m := webhook.Message{ID: webhook.NewMessageID(), Event: ev.Type, Subject: ev.Subject, Body: body}
			sent++
			w.wg.Add(1)
			go func() {
				defer w.wg.Done()
				w.sender.Send(ctx, a, secret, m)
			}()
		}
	}
	for _, s := range next {
		if err := w.st.PutAlertState(ctx, s); err != nil {
			return sent, err
		}
	}
	if len(events) > 0 {
		var names []string
		for _, ev := range events {
			names = append(names, ev.Type+" "+ev.Subject)
		}
		w.log.Info("alerts", "events", strings.Join(names, ", "), "deliveries", sent)
	}
	return sent, nil
}

func (w *alertWatcher) wait() { w.wg.Wait() }

// subscribed reports whether any alert wants the event.
func subscribed(alerts []saydo.Alert, event string) bool {
	for _, a := range alerts {
		if slices.Contains(a.Events, event) {
			return true
		}
	}
	return false
}
