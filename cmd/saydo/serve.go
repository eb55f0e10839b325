package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/http"
	"github.com/saydo/saydo/jsonl"
	"github.com/saydo/saydo/lint"
	"github.com/saydo/saydo/yaml"
)

func init() { extraCommands = append(extraCommands, serveCommand, userCommand, tokenCommand) }

var serveCommand = &command{
	name:  "serve",
	args:  "[--addr 127.0.0.1:8080]",
	short: "serve the JSON API and the web dashboard",
	help: `Serves the dashboard (overview, promise pages, unmet expectations, department
scorecards, the message catalogue and its review workflow) and the JSON API
under /api/v1 (documented at /api/v1/openapi.json), /healthz and /metrics.

Everything but /healthz and the login page needs a user (saydo user add) or
an API token (saydo token create, sent as Authorization: Bearer TOKEN).
saydo.yaml is reloaded when it changes; messages/ is read again every few
seconds and a changed message goes back to review.

Several servers can share one PostgreSQL store (--db postgres://…, e.g.
behind a load balancer): they act as one. What one imports the others report
as soon as it commits (LISTEN/NOTIFY), sign-ins and tokens work on any of
them, a token revoked on one stops working on all, and imports through
different servers at once store each row once.

Every request's cost is bounded: reports (5,000 periods per range, 50,000
per report), query strings, bodies, slow clients (a trickled body is cut
off), connections (1,024; 256 per address) and requests in flight (256).
Ten failed sign-ins for a name or from an address within 15 minutes get
429 until the window passes. The limits and their tests: docs/security.md.

Examples:
  saydo user add ana --role approver           a person who approves messages
  saydo serve                                   http://127.0.0.1:8080
  saydo serve --addr :8080 --secure-cookies     behind an HTTPS proxy
  curl -H "Authorization: Bearer $TOKEN" localhost:8080/api/v1/gaps?period=month`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
		o.defBool(fs, "secure-cookies", false, "mark cookies Secure (when users reach the server over HTTPS)")
		o.defInt(fs, "max-ingest-mb", 512, "largest JSON Lines import body, in `MiB`")
		o.defStr(fs, "report-ttl", "2s", "reuse a computed report for this `DURATION`; imports through this server, or through another one on the same PostgreSQL, drop it at once")
		o.defStr(fs, "alert-every", "1m", "check promises for alerts (saydo.yaml alerts:) every `DURATION`")
	},
	run: runServe,
}

// serverStore is what the server needs of the store beyond saydo.Store.
type serverStore interface {
	saydo.Store
	saydo.AccessStore
	saydo.ReviewStore
	saydo.AlertStore
}

// openServerStore opens the store and checks that it keeps users and
// reviews.
func openServerStore(ctx context.Context, e *env, o options) (serverStore, error) {
	st, err := openStore(ctx, e, o)
	if err != nil {
		return nil, err
	}
	ss, ok := st.(serverStore)
	if !ok {
		st.Close()
		return nil, errors.New("this store does not keep users and reviews")
	}
	return ss, nil
}

func runServe(ctx context.Context, e *env, o options, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
	}
	ws, err := loadWorkspace(e, o)
	if err != nil {
		return err
	}
	st, err := openServerStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, e, o, ws, st, o.str("addr"), "")
}

// serve runs the server on addr until ctx ends (SIGINT, SIGTERM), then
// lets requests in flight finish. login, when set, is printed with the
// address (the demo's credentials).
func serve(ctx context.Context, e *env, o options, ws *saydo.Workspace, st serverStore, addr, login string) error {
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	loader := &workspaceLoader{dir: ws.Dir, ws: ws, log: logger}
	loader.mtime = loader.stat()
	linters := &linterCache{}
	maxIngest := int64(512)
	if v, ok := o["max-ingest-mb"]; ok {
		maxIngest = int64(*v.(*int))
	}
	secure := false
	if v, ok := o["secure-cookies"]; ok {
		secure = *v.(*bool)
	}
	var reportTTL time.Duration
	if v, ok := o["report-ttl"]; ok {
		d, err := time.ParseDuration(*v.(*string))
		if err != nil || d <= 0 {
			return usageError{fmt.Sprintf("--report-ttl %q: want a duration such as 2s or 1m", *v.(*string))}
		}
		reportTTL = d
	}
	srv := http.NewServer(http.Config{
		Store: st, Access: st, Reviews: st, Alerts: st,
		Workspace: loader.get,
		Messages:  (&messageLoader{log: logger}).get,
		Lint: func(ws *saydo.Workspace, m *saydo.Message) []saydo.Finding {
			l, err := linters.get(ws)
			if err != nil {
				logger.Error("lint rules", "err", err)
				return nil
			}
			return l.Lint(m)
		},
		Voice: func(ctx context.Context, ws *saydo.Workspace) (*http.VoiceReport, error) {
			rep, err := buildVoiceReport(ctx, st, ws, voiceQuery{})
			if err != nil {
				return nil, err
			}
			if rep.Items == 0 {
				return nil, nil
			}
			return &http.VoiceReport{Feedback: rep.Items, Promises: rep.byID, Unmet: rep.Unmet, Iceberg: &rep.Iceberg}, nil
		},
		RowReader:      func(r io.Reader) saydo.RowReader { return jsonl.NewReader(r) },
		Logger:         logger,
		SecureCookies:  secure,
		MaxIngestBytes: maxIngest << 20,
		ReportTTL:      reportTTL,
	})
	every := time.Minute
	if v, ok := o["alert-every"]; ok {
		d, err := time.ParseDuration(*v.(*string))
		if err != nil || d < time.Second {
			return usageError{fmt.Sprintf("--alert-every %q: want a duration of at least 1s, such as 30s or 5m", *v.(*string))}
		}
		every = d
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(e.stdout, "Serving %s's dashboard on %s (API: %s/api/v1, Ctrl-C to stop).\n", companyName(ws), url, url)
	if login != "" {
		fmt.Fprintln(e.stdout, login)
	} else if users, err := st.Users(ctx); err == nil && len(users) == 0 {
		fmt.Fprintln(e.stdout, "No users yet: add one with 'saydo user add NAME --role admin'.")
	}
	// On a shared store (PostgreSQL) the server hears other servers'
	// imports and revocations as they commit.
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go srv.Watch(wctx)
	alerts := newAlertWatcher(e, logger, st)
	actx, stopAlerts := context.WithCancel(ctx)
	defer func() { stopAlerts(); alerts.wait() }()
	go alerts.run(actx, loader.get, every)
	err = srv.Serve(ctx, ln)
	if ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "saydo serve: stopped")
	}
	return err
}

func companyName(ws *saydo.Workspace) string {
	if ws.Company != "" {
		return ws.Company
	}
	return "the workspace"
}

// workspaceLoader reloads saydo.yaml when its modification time changes
// (checked at most once a second); an invalid file keeps the last good
// workspace and is logged.
type workspaceLoader struct {
	dir     string
	log     *slog.Logger
	mu      sync.Mutex
	ws      *saydo.Workspace
	mtime   time.Time
	checked time.Time
}

func (l *workspaceLoader) stat() time.Time {
	fi, err := os.Stat(filepath.Join(l.dir, yaml.FileName))
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

func (l *workspaceLoader) get() (*saydo.Workspace, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.checked) < time.Second {
		return l.ws, nil
	}
	l.checked = time.Now()
	if m := l.stat(); !m.Equal(l.mtime) {
		ws, err := yaml.LoadWorkspace(l.dir)
		if err != nil {
			l.log.Error("saydo.yaml changed but does not load; keeping the last good version", "err", err)
		} else {
			l.log.Info("saydo.yaml reloaded", "promises", len(ws.Promises))
			l.ws = ws
		}
		l.mtime = m
	}
	return l.ws, nil
}

// linterCache builds one linter per workspace version.
type linterCache struct {
	mu sync.Mutex
	ws *saydo.Workspace
	l  *lint.Linter
}

func (c *linterCache) get(ws *saydo.Workspace) (*lint.Linter, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == ws && c.l != nil {
		return c.l, nil
	}
	rules, err := yaml.LoadStyle(ws.Dir)
	if err != nil {
		return nil, err
	}
	l, err := lint.New(ws, rules, lint.Options{})
	if err != nil {
		return nil, err
	}
	c.ws, c.l = ws, l
	return l, nil
}

// serveDemo is 'saydo demo --serve ADDR': a demo admin with a fresh
// password, printed, then the server on the demo workspace.
func serveDemo(ctx context.Context, e *env, o options, ws *saydo.Workspace, st saydo.Store, addr string) error {
	ss, ok := st.(serverStore)
	if !ok {
		return errors.New("this store does not keep users and reviews")
	}
	const name = "demo"
	password := demoPassword()
	hash := http.HashPassword(password)
	if _, err := ss.CreateUser(ctx, name, saydo.RoleAdmin, hash); errors.Is(err, saydo.ErrExists) {
		err = ss.SetPassword(ctx, name, hash)
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout)
	return serve(ctx, e, o, ws, ss, addr, fmt.Sprintf("Sign in as %q with password %q (an admin; a new password each run).", name, password))
}

// demoPassword is 16 random letters and digits, easy to type.
func demoPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// messageLoader keeps the last good message catalogue, as workspaceLoader
// keeps the last good saydo.yaml: a file that does not parse, or reuses
// another's id, is logged and leaves the catalogue as it was, where it
// made every message page and API answer 500. Before any good catalogue,
// the files that parse are served, without a second file of the same id.
type messageLoader struct {
	log  *slog.Logger
	mu   sync.Mutex
	good map[string][]saydo.Message // by workspace folder
	said string                     // the last problem logged, to log it once
}

func (l *messageLoader) get(ctx context.Context, ws *saydo.Workspace) ([]saydo.Message, error) {
	ms, err := workspaceMessages(ws)
	var list saydo.ErrorList
	if err != nil && !errors.As(err, &list) {
		return nil, err // the folder cannot be read at all
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.good == nil {
		l.good = map[string][]saydo.Message{}
	}
	if err == nil {
		l.good[ws.Dir], l.said = ms, ""
		return ms, nil
	}
	if msg := err.Error(); msg != l.said {
		l.said = msg
		l.log.Error("messages/ has problems; keeping the last good catalogue (saydo check lists them)", "err", msg)
	}
	if good, ok := l.good[ws.Dir]; ok {
		return good, nil
	}
	seen := map[string]bool{}
	out := ms[:0:0]
	for _, m := range ms {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m)
		}
	}
	return out, nil
}

// workspaceMessages reads the workspace's messages for the server, each
// with its path relative to the workspace ("messages/care/sms.txt"): what
// the API shows and the store keeps, whichever directory the server was
// started from, and nothing of the server's own file system.
func workspaceMessages(ws *saydo.Workspace) ([]saydo.Message, error) {
	ms, err := yaml.LoadMessages(filepath.Join(ws.Dir, yaml.MessagesDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	for i := range ms {
		if rel, rerr := filepath.Rel(ws.Dir, ms[i].Path); rerr == nil && filepath.IsLocal(rel) {
			ms[i].Path = filepath.ToSlash(rel)
		}
	}
	return ms, err
}
