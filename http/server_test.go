package http

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/jsonl"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/sqlite"
)

// testWorkspace is a small company: one threshold promise with weekly
// evidence, one mean promise, two departments.
func testWorkspace() *saydo.Workspace {
	return &saydo.Workspace{
		Company:   "Testco",
		Statement: "We keep every promise.",
		Departments: []saydo.Department{
			{ID: "marketing", Name: "Marketing", Behaviors: []string{"Promise only what we deliver."}},
			{ID: "care", Name: "Customer care", Behaviors: []string{"Answer within two minutes."}},
		},
		Promises: []saydo.Promise{
			{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Owner: "marketing", DeliveredBy: []string{"care"},
				Stage: "support", Metric: "call_wait_seconds", Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}, Period: saydo.Week},
			{ID: "fix-fast", Says: "We fix faults in 4 hours on average.", Owner: "marketing", DeliveredBy: []string{"care"},
				Metric: "fix_hours", Objective: saydo.Objective{Kind: saydo.MeanAtMost, Value: 4}, Period: saydo.Week},
		},
	}
}

// testLog sends the server's log to the test's.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// testEnv is a server on a fresh store with one token and one user per
// role.
type testEnv struct {
	t        testing.TB
	srv      *Server
	st       *sqlite.Store
	ts       *httptest.Server
	tokens   map[saydo.Role]string
	password string
	mu       sync.Mutex
	messages []saydo.Message
}

func newTestEnv(t testing.TB, tweak func(*Config)) *testEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "saydo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ws := testWorkspace()
	var b strings.Builder
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range 600 {
		at := start.Add(time.Duration(i) * 50 * time.Minute)
		wait := 60 + (i%10)*12 // 10% over 120 s
		region := []string{"north", "south"}[i%2]
		fmt.Fprintf(&b, `{"metric":"call_wait_seconds","value":%d,"at":%q,"region":%q}`+"\n", wait, at.Format(time.RFC3339), region)
		fmt.Fprintf(&b, `{"metric":"fix_hours","value":%g,"at":%q}`+"\n", 3+float64(i%4)*0.5, at.Format(time.RFC3339))
	}
	if _, err := ledger.IngestObservations(ctx, st, ws, jsonl.NewReader(strings.NewReader(b.String())), ledger.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, st: st, tokens: map[saydo.Role]string{}, password: "correct horse battery"}
	e.messages = []saydo.Message{
		{ID: "overdue-sms", Channel: "sms", Department: "care", Lang: "en", Body: "Hello {{name}}, your bill is overdue. PAY NOW!!!"},
		{ID: "welcome-email", Channel: "email", Department: "marketing", Lang: "en", Body: "Hello, welcome to Testco. Call us on 123 if you need anything."},
	}
	cfg := Config{
		Store: st, Access: st, Reviews: st,
		Workspace: func() (*saydo.Workspace, error) { return ws, nil },
		Messages: func(ctx context.Context, ws *saydo.Workspace) ([]saydo.Message, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			return append([]saydo.Message(nil), e.messages...), nil
		},
		Lint: func(ws *saydo.Workspace, m *saydo.Message) []saydo.Finding {
			if strings.Contains(m.Body, "!!!") {
				return []saydo.Finding{{Message: m.ID, Rule: "saydo.Tone", Level: saydo.LevelError, Line: 1, Column: 1, Match: "PAY NOW!!!", Text: "Shouting."}}
			}
			return nil
		},
		Voice: func(ctx context.Context, ws *saydo.Workspace) (*VoiceReport, error) {
			return &VoiceReport{Feedback: 3,
				Promises: map[string]*saydo.PromiseVoice{"answer-in-2-min": {Mentions: 2, ShareNegative: 1, NPS: ptr(-50.0), CSAT: ptr(25.0), CES: ptr(5.5), Quotes: []string{"I waited for ages on hold."}}},
				Unmet:    []saydo.Theme{{Label: "nobody told me about the price rise", Terms: []string{"price rise"}, Count: 1, Share: 1, Quotes: []string{"Nobody told me about the price rise."}}},
			}, nil
		},
		RowReader: func(r io.Reader) saydo.RowReader { return jsonl.NewReader(r) },
		ReportTTL: time.Millisecond,
		Logger:    slog.New(slog.NewTextHandler(testLog{t}, nil)),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	e.srv = NewServer(cfg)
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.ts.Close)
	hash := HashPassword(e.password)
	for _, role := range saydo.Roles {
		secret, h := NewToken()
		if _, err := st.CreateToken(ctx, "t-"+string(role), role, h, time.Time{}); err != nil {
			t.Fatal(err)
		}
		e.tokens[role] = secret
		if _, err := st.CreateUser(ctx, string(role), role, hash); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// do sends a request with a role's token ("" for none) and returns the
// status and body.
func (e *testEnv) do(role saydo.Role, method, path, body string) (int, string) {
	e.t.Helper()
	req, err := nethttp.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	if body != "" && strings.HasPrefix(body, "{") && !strings.Contains(path, "observations") {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(nethttp.DefaultClient, req)
}

func (e *testEnv) send(c *nethttp.Client, req *nethttp.Request) (int, string) {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// login signs a role's user in and returns a client with the session
// cookie and the session's CSRF token.
func (e *testEnv) login(role saydo.Role) (*nethttp.Client, string) {
	e.t.Helper()
	c := newClient()
	code, page := e.send(c, mustReq(e.t, "GET", e.ts.URL+"/login", ""))
	if code != 200 {
		e.t.Fatalf("GET /login: %d", code)
	}
	csrf := findCSRF(e.t, page)
	form := url.Values{"name": {string(role)}, "password": {e.password}, "csrf": {csrf}, "next": {"/"}}
	req := mustReq(e.t, "POST", e.ts.URL+"/login", form.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, page = e.send(c, req)
	if code != 200 || !strings.Contains(page, "Every promise, worst first") {
		e.t.Fatalf("login as %s: %d\n%s", role, code, page)
	}
	return c, findCSRF(e.t, page)
}

func newClient() *nethttp.Client {
	jar := &cookieJar{cookies: map[string]*nethttp.Cookie{}}
	return &nethttp.Client{Jar: jar}
}

// cookieJar is a minimal jar for one test host (net/http/cookiejar drops
// Secure cookies on http://, which the Secure test needs to see).
type cookieJar struct {
	mu      sync.Mutex
	cookies map[string]*nethttp.Cookie
}

func (j *cookieJar) SetCookies(u *url.URL, cs []*nethttp.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cs {
		if c.MaxAge < 0 {
			delete(j.cookies, c.Name)
			continue
		}
		j.cookies[c.Name] = c
	}
}

func (j *cookieJar) Cookies(u *url.URL) []*nethttp.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*nethttp.Cookie
	for _, c := range j.cookies {
		if c.Path == "" || strings.HasPrefix(u.Path, c.Path) {
			out = append(out, &nethttp.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	return out
}

func mustReq(t testing.TB, method, u, body string) *nethttp.Request {
	t.Helper()
	req, err := nethttp.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func findCSRF(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in page:\n%s", page)
	}
	return m[1]
}
