package http

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// The security suite: every test named TestSecurity... is an attack on the
// server (docs/security.md lists them against the threat model). Run it
// alone with: go test ./http -run Security

// TestSecurityPeriodLimit is issue 13 item 1: a viewer asked for every day
// from year 1 to 9999 and the server grew to 24 GB. A range beyond
// saydo.MaxPeriods periods is refused with 400 before any work, whether the
// request bounds both ends or one end is the data's.
func TestSecurityPeriodLimit(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct{ name, query, want string }{
		// The request: every day of the calendar (Python's
		// date(9999, 12, 31).toordinal() is 3,652,059).
		{"the issue's request", "from=0001-01-01&to=9999-12-31&period=day", "the range 0001-01-01 to 9999-12-31 spans 3652059 days"},
		{"a millennium by the promises' own week", "from=1000-01-01&to=9999-12-31", "weeks, more than the limit of 5000 periods"},
		{"a millennium by month", "from=1000-01-01&to=9999-12-31&period=month", "the range 1000-01-01 to 9999-12-31 spans 108000 months"},
		{"one promise", "promise=fix-fast&from=1900-01-01&to=2026-12-31&period=day", "days"},
		// The data ends in 2026: from 2000 by day is about 9,500 days.
		{"open end resolved to the data", "from=2000-01-01&period=day", "more than the limit of 5000 periods"},
		{"with a breakdown", "from=0001-01-01&to=9999-12-31&period=day&by=region", "days"},
	}
	for _, tt := range tests {
		code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?"+tt.query, "")
		if code != 400 || !strings.Contains(body, tt.want) {
			t.Errorf("%s: gaps?%s = %d %s, want 400 mentioning %q", tt.name, tt.query, code, body, tt.want)
		}
	}
	// Exactly at the limit is answered.
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?from=2020-01-01&to=2026-12-31&period=week", ""); code != 200 {
		t.Errorf("seven years by week: %d %s, want 200", code, body)
	}
	// The dashboard's promise page takes a period too.
	c, _ := e.login(saydo.RoleViewer)
	if code, body := e.send(c, mustReq(t, "GET", e.ts.URL+"/promises/answer-in-2-min?period=day", "")); code != 200 {
		t.Errorf("promise page by day: %d\n%s", code, body)
	}
}

// clock is a test clock the server reads through Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// ingestRows posts JSON Lines as the analyst and fails the test unless
// every row is accepted.
func (e *testEnv) ingestRows(rows string) {
	e.t.Helper()
	code, body := e.do(saydo.RoleAnalyst, "POST", "/api/v1/observations", rows)
	if code != 200 || strings.Contains(body, `"rejected": 1`) {
		e.t.Fatalf("ingest: %d %s", code, body)
	}
}

// TestSecurityReportSize: a report is bounded across promises and
// breakdown segments (saydo.MaxReportPeriods), and a breakdown by an
// attribute with thousands of values is refused before it fills memory.
func TestSecurityReportSize(t *testing.T) {
	e := newTestEnv(t, nil)
	var b strings.Builder
	for i := range 12 {
		fmt.Fprintf(&b, `{"metric":"call_wait_seconds","value":50,"at":"2026-01-10T10:00:00Z","id":"reg-%d","region":"r%02d"}`+"\n", i, i)
	}
	for i := range saydo.MaxBreakdownValues + 1 {
		fmt.Fprintf(&b, `{"metric":"call_wait_seconds","value":50,"at":"2026-01-11T10:00:00Z","id":"tk-%d","ticket":"T%d"}`+"\n", i, i)
	}
	e.ingestRows(b.String())
	// 4,993 days × (1 + 15 segments: 14 regions and none) for one promise and × (1 + 1) for the
	// other is over 50,000 periods, though each range is under 5,000.
	q := "from=2012-06-01&to=2026-01-31&period=day&by=region"
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?"+q, ""); code != 400 || !strings.Contains(body, "more than 50000 periods") {
		t.Errorf("gaps?%s = %d %.300s, want 400 naming the report limit", q, code, body)
	}
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?by=ticket&promise=answer-in-2-min", ""); code != 400 || !strings.Contains(body, "more than 1000 values") {
		t.Errorf("by=ticket = %d %.300s, want 400: too many values", code, body)
	}
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?by=region&period=month", ""); code != 200 {
		t.Errorf("a sensible breakdown: %d %.300s", code, body)
	}
}

// TestSecurityRequestShape: oversize query strings, too many parameters,
// trailing and deep JSON, oversize bodies, and a wrong method are refused
// with the right status before any work.
func TestSecurityRequestShape(t *testing.T) {
	e := newTestEnv(t, nil)
	e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	tests := []struct {
		name               string
		role               saydo.Role
		method, path, body string
		want               int
		allow              string
	}{
		{"huge query", saydo.RoleViewer, "GET", "/api/v1/gaps?promise=" + strings.Repeat("a", 5000), "", 414, ""},
		{"many parameters", saydo.RoleViewer, "GET", "/api/v1/gaps?" + strings.Repeat("by=x&", 40), "", 400, ""},
		{"repeated parameter", saydo.RoleViewer, "GET", "/api/v1/audit?limit=1000000000", "", 400, ""},
		{"trailing JSON", saydo.RoleApprover, "POST", "/api/v1/reviews", approveBody + `{"message_id":"welcome-email","version":1,"action":"request_changes","comment":"x"}`, 400, ""},
		{"trailing garbage", saydo.RoleApprover, "POST", "/api/v1/reviews", approveBody + `]`, 400, ""},
		{"deep JSON", saydo.RoleApprover, "POST", "/api/v1/reviews", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), 400, ""},
		{"body over 1 MiB", saydo.RoleAdmin, "POST", "/api/v1/users", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
		{"chunked body over 1 MiB", saydo.RoleAdmin, "POST", "/api/v1/users", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
		{"wrong type", saydo.RoleApprover, "POST", "/api/v1/reviews", `{"message_id":"welcome-email","version":"1","action":"approve"}`, 400, ""},
		{"POST on a GET route", saydo.RoleViewer, "POST", "/api/v1/gaps", "", 405, "GET"},
		{"DELETE on users", saydo.RoleAdmin, "DELETE", "/api/v1/users", "", 405, "GET, POST"},
		{"PUT on reviews", saydo.RoleViewer, "PUT", "/api/v1/reviews", "", 405, "GET, POST"},
		{"unknown route", saydo.RoleViewer, "GET", "/api/v1/nothing", "", 404, ""},
		{"POST on a dashboard page", saydo.RoleViewer, "POST", "/promises/answer-in-2-min", "", 405, "GET, HEAD"},
		{"GET on the review form", saydo.RoleApprover, "GET", "/messages/welcome-email/review", "", 405, "POST"},
		{"trailing slash on an admin route", saydo.RoleViewer, "GET", "/api/v1/users/", "", 404, ""},
		{"dot segments to an admin route", saydo.RoleViewer, "GET", "/api/v1/me/../users", "", 403, ""},
		{"encoded slash", saydo.RoleViewer, "GET", "/api/v1/users%2Fadmin", "", 404, ""},
	}
	for _, tt := range tests {
		req := mustReq(t, tt.method, e.ts.URL+tt.path, tt.body)
		req.Header.Set("Authorization", "Bearer "+e.tokens[tt.role])
		req.Header.Set("Content-Type", "application/json")
		switch tt.name {
		case "body over 1 MiB":
			// The length is refused before the body is read; a client
			// that sends it anyway may find the connection closed under
			// it, so this one asks first, as HTTP provides.
			req.Header.Set("Expect", "100-continue")
		case "chunked body over 1 MiB":
			// No length: the limit is found while reading.
			req.Body, req.ContentLength = io.NopCloser(io.MultiReader(strings.NewReader(tt.body))), -1
		}
		resp, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %s %.80s = %d %.200s, want %d", tt.name, tt.method, tt.path, resp.StatusCode, body, tt.want)
		}
		if got := resp.Header.Get("Allow"); got != tt.allow {
			t.Errorf("%s: Allow %q, want %q", tt.name, got, tt.allow)
		}
	}
	// Nothing above was decided: welcome-email is still in review.
	if _, body := e.do(saydo.RoleViewer, "GET", "/api/v1/messages/welcome-email", ""); !strings.Contains(body, `"state": "in_review"`) {
		t.Errorf("a refused request changed the review:\n%.400s", body)
	}
}

// signIn posts the login form as a fresh browser would and returns the
// status, the Retry-After header and the client (signed in on 303).
func (e *testEnv) signIn(name, password string) (int, string, *nethttp.Client) {
	e.t.Helper()
	c := newClient()
	c.CheckRedirect = func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }
	_, page := e.send(c, mustReq(e.t, "GET", e.ts.URL+"/login", ""))
	req := mustReq(e.t, "POST", e.ts.URL+"/login", url.Values{"name": {name}, "password": {password}, "csrf": {findCSRF(e.t, page)}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After"), c
}

// TestSecuritySignInThrottle is issue 13 item 2: 400 wrong passwords took
// 6 s and the right one then worked. After 10 failures for a name, or from
// an address, within 15 minutes, attempts get 429 with Retry-After, the
// right password too, until the window passes; failures are audited.
func TestSecuritySignInThrottle(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e := newTestEnv(t, func(c *Config) { c.Now = clk.now })
	for i := range 10 {
		if code, _, _ := e.signIn("admin", fmt.Sprintf("guess %d", i)); code != 401 {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
		clk.add(time.Minute)
	}
	// 10 failures from 09:00 to 09:09: the right password is refused too.
	code, retry, _ := e.signIn("admin", e.password)
	if code != 429 || retry == "" {
		t.Fatalf("11th attempt with the right password: %d, Retry-After %q; want 429 with Retry-After", code, retry)
	}
	if n, _ := strconv.Atoi(retry); n < 5*60 || n > 6*60 {
		t.Errorf("Retry-After %s s, want about 5 minutes (the first failure leaves the window at 09:15)", retry)
	}
	// Another name from the same address is throttled by address.
	if code, _, _ := e.signIn("viewer", e.password); code != 429 {
		t.Errorf("another name from the throttled address: %d, want 429", code)
	}
	// Once the oldest failure has left the window, one attempt is allowed
	// again: the right password works.
	clk.add(6 * time.Minute)
	if code, _, c := e.signIn("admin", e.password); code != 303 {
		t.Errorf("after the window: %d, want 303 (signed in)", code)
	} else if code, _ := e.send(c, mustReq(t, "GET", e.ts.URL+"/api/v1/me", "")); code != 200 {
		t.Errorf("the session after the window: %d", code)
	}
	entries, err := e.st.Audit(t.Context(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, a := range entries {
		if a.Action == "login_failed" {
			failed++
			if a.Target != "admin" || !strings.HasPrefix(a.Actor, "address:127.0.0.1") {
				t.Errorf("audit entry %+v: want target admin, actor address:127.0.0.1", a)
			}
		}
	}
	if failed != 10 {
		t.Errorf("%d login_failed entries in the audit log, want 10 (throttled attempts are not counted as failures)", failed)
	}
}

// TestSecuritySeparationOfDuties is issue 13 item 4: one approver sent
// request_changes, submit and approve on the same version; a message with
// two lint errors was approved with one click.
func TestSecuritySeparationOfDuties(t *testing.T) {
	e := newTestEnv(t, nil)
	e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	post := func(role saydo.Role, body string) (int, string) {
		return e.do(role, "POST", "/api/v1/reviews", body)
	}
	steps := []struct {
		role saydo.Role
		body string
		want int
	}{
		{saydo.RoleApprover, `{"message_id":"welcome-email","version":1,"action":"request_changes","comment":"warmer"}`, 200},
		{saydo.RoleApprover, `{"message_id":"welcome-email","version":1,"action":"submit"}`, 200},
		{saydo.RoleApprover, `{"message_id":"welcome-email","version":1,"action":"approve"}`, 403},
		{saydo.RoleAdmin, `{"message_id":"welcome-email","version":1,"action":"approve"}`, 200},
		// Lint errors: not with one click, not without a reason.
		{saydo.RoleApprover, `{"message_id":"overdue-sms","version":1,"action":"approve"}`, 422},
		{saydo.RoleApprover, `{"message_id":"overdue-sms","version":1,"action":"approve","override":true}`, 422},
		{saydo.RoleApprover, `{"message_id":"overdue-sms","version":1,"action":"approve","override":true,"comment":"  "}`, 422},
		{saydo.RoleApprover, `{"message_id":"overdue-sms","version":1,"action":"approve","override":true,"comment":"legal signed off"}`, 200},
	}
	for i, st := range steps {
		if code, body := post(st.role, st.body); code != st.want {
			t.Errorf("step %d as %s: %s = %d %s, want %d", i, st.role, st.body, code, body, st.want)
		}
	}
	entries, _ := e.st.Audit(t.Context(), 0, 1)
	if len(entries) != 1 || entries[0].Action != "approve" || !strings.Contains(entries[0].Detail, "override of 1 lint error (saydo.Tone): legal signed off") {
		t.Errorf("latest audit entry %+v; want the approval recording the override", entries)
	}
	// The dashboard tells the submitter instead of offering the button.
	e.do(saydo.RoleApprover, "POST", "/api/v1/reviews", `{"message_id":"welcome-email","version":1,"action":"request_changes","comment":"shorter"}`)
	c, csrf := e.login(saydo.RoleApprover)
	req := mustReq(t, "POST", e.ts.URL+"/messages/welcome-email/review", url.Values{"version": {"1"}, "action": {"submit"}, "csrf": {csrf}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, page := e.send(c, req); code != 200 || !strings.Contains(page, `id="submitted-by-you"`) || strings.Contains(page, `id="approve"`) {
		t.Errorf("the submitter's message page: %d, want the note and no approve button\n%s", code, page)
	}
}

// TestSecurityUserLifeCycle is issue 13 item 5: removing a user or
// changing a role ends their sessions at once; a token can expire, and
// the token cache does not outlive it; nobody but an admin manages users.
func TestSecurityUserLifeCycle(t *testing.T) {
	clk := &clock{t: time.Now().UTC()}
	e := newTestEnv(t, func(c *Config) { c.Now = clk.now })
	me := func(c *nethttp.Client) (int, string) {
		return e.send(c, mustReq(t, "GET", e.ts.URL+"/api/v1/me", ""))
	}
	approver, _ := e.login(saydo.RoleApprover)
	viewer, _ := e.login(saydo.RoleViewer)
	analyst, _ := e.login(saydo.RoleAnalyst)

	// Role escalation: only an admin may change users, itself included.
	for _, role := range []saydo.Role{saydo.RoleViewer, saydo.RoleAnalyst, saydo.RoleApprover} {
		if code, _ := e.do(role, "PATCH", "/api/v1/users/"+string(role), `{"role":"admin"}`); code != 403 {
			t.Errorf("%s makes itself admin: %d, want 403", role, code)
		}
	}
	// A role change ends the approver's session: the open browser can no
	// longer approve, or do anything, until it signs in again.
	if code, body := e.do(saydo.RoleAdmin, "PATCH", "/api/v1/users/approver", `{"role":"viewer"}`); code != 200 || !strings.Contains(body, `"role": "viewer"`) {
		t.Fatalf("demote approver: %d %s", code, body)
	}
	if code, _ := me(approver); code != 401 {
		t.Errorf("demoted user's old session: %d, want 401", code)
	}
	// Removal ends the viewer's session; signing in again fails.
	if code, body := e.do(saydo.RoleAdmin, "DELETE", "/api/v1/users/viewer", ""); code != 200 {
		t.Fatalf("remove viewer: %d %s", code, body)
	}
	if code, _ := me(viewer); code != 401 {
		t.Errorf("removed user's session: %d, want 401", code)
	}
	if code, _, _ := e.signIn("viewer", e.password); code != 401 {
		t.Errorf("removed user signs in: %d, want 401", code)
	}
	// A password reset and a sign-out ends the sessions too.
	if code, _ := e.do(saydo.RoleAdmin, "DELETE", "/api/v1/users/analyst/sessions", ""); code != 200 {
		t.Errorf("end analyst's sessions: %d", code)
	}
	if code, _ := me(analyst); code != 401 {
		t.Errorf("signed-out user's session: %d, want 401", code)
	}
	if code, _ := e.do(saydo.RoleAdmin, "PATCH", "/api/v1/users/analyst", `{"password":"a new long password"}`); code != 200 {
		t.Errorf("reset password: %d", code)
	}
	if code, _, _ := e.signIn("analyst", e.password); code != 401 {
		t.Errorf("old password after reset: %d, want 401", code)
	}
	if code, _, _ := e.signIn("analyst", "a new long password"); code != 303 {
		t.Errorf("new password after reset: %d, want 303", code)
	}
	// The last admin stays.
	if code, _ := e.do(saydo.RoleAdmin, "DELETE", "/api/v1/users/admin", ""); code != 409 {
		t.Errorf("remove the last admin: %d, want 409", code)
	}
	for _, body := range []string{`{"role":"root"}`, `{"password":"short"}`, `{}`, `{"role":"viewer","extra":1}`} {
		if code, _ := e.do(saydo.RoleAdmin, "PATCH", "/api/v1/users/analyst", body); code != 400 {
			t.Errorf("PATCH %s: %d, want 400", body, code)
		}
	}
	if code, _ := e.do(saydo.RoleAdmin, "PATCH", "/api/v1/users/nobody", `{"role":"viewer"}`); code != 404 {
		t.Errorf("PATCH an unknown user: %d, want 404", code)
	}

	// A token that expires: used (and cached), then refused at expiry.
	code, body := e.do(saydo.RoleAdmin, "POST", "/api/v1/tokens", `{"name":"contractor","role":"viewer","expires":"1h"}`)
	var tok struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal([]byte(body), &tok); code != 201 || err != nil || tok.ExpiresAt.IsZero() {
		t.Fatalf("create an expiring token: %d %s", code, body)
	}
	bearer := func() int {
		req := mustReq(t, "GET", e.ts.URL+"/api/v1/me", "")
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		code, _ := e.send(nethttp.DefaultClient, req)
		return code
	}
	if code := bearer(); code != 200 {
		t.Errorf("fresh token: %d", code)
	}
	clk.add(time.Hour)
	if code := bearer(); code != 401 {
		t.Errorf("token at its expiry: %d, want 401", code)
	}
	// Token reuse after revocation: cached or not, a revoked token stops.
	code, body = e.do(saydo.RoleAdmin, "POST", "/api/v1/tokens", `{"name":"revoked-soon","role":"analyst"}`)
	var rt struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(body), &rt); code != 201 || err != nil {
		t.Fatalf("create a token: %d %s", code, body)
	}
	use := func() int {
		req := mustReq(t, "GET", e.ts.URL+"/api/v1/me", "")
		req.Header.Set("Authorization", "Bearer "+rt.Token)
		code, _ := e.send(nethttp.DefaultClient, req)
		return code
	}
	if code := use(); code != 200 {
		t.Errorf("new token: %d", code)
	}
	if code, _ := e.do(saydo.RoleAdmin, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", rt.ID), ""); code != 204 && code != 200 {
		t.Errorf("revoke: %d", code)
	}
	if code := use(); code != 401 {
		t.Errorf("revoked token, just used (cached): %d, want 401", code)
	}
	if code, _ := e.do(saydo.RoleAdmin, "POST", "/api/v1/tokens", `{"name":"x","role":"viewer","expires":"forever"}`); code != 400 {
		t.Errorf("bad expiry: %d, want 400", code)
	}
	entries, _ := e.st.Audit(t.Context(), 0, 20)
	var actions []string
	for _, a := range entries {
		actions = append(actions, a.Action)
	}
	for _, want := range []string{"user_role", "user_remove", "user_sessions_end", "user_password", "token_create"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
}

// TestSecuritySessionFixation: a session cookie planted before sign-in is
// not the one the user gets.
func TestSecuritySessionFixation(t *testing.T) {
	e := newTestEnv(t, nil)
	c := newClient()
	u, _ := url.Parse(e.ts.URL)
	c.Jar.SetCookies(u, []*nethttp.Cookie{{Name: sessionCookie, Value: "attacker-chosen"}})
	_, page := e.send(c, mustReq(t, "GET", e.ts.URL+"/login", ""))
	req := mustReq(t, "POST", e.ts.URL+"/login", url.Values{"name": {"viewer"}, "password": {e.password}, "csrf": {findCSRF(t, page)}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.send(c, req)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie && ck.Value == "attacker-chosen" {
			t.Error("the planted session cookie survived sign-in")
		}
	}
	planted := newClient()
	planted.Jar.SetCookies(u, []*nethttp.Cookie{{Name: sessionCookie, Value: "attacker-chosen"}})
	if code, _ := e.send(planted, mustReq(t, "GET", e.ts.URL+"/api/v1/me", "")); code != 401 {
		t.Errorf("the planted cookie authenticates: %d", code)
	}
}

// serveLoopback runs the test env's server as saydo serve does (Serve: its
// limits on the http.Server and the listener) on 127.0.0.1 and returns
// its address.
func serveLoopback(t *testing.T, e *testEnv) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// openConns is how many connections the server's limiter holds.
func openConns(s *Server) int {
	if l := s.conns.Load(); l != nil {
		return l.open()
	}
	return 0
}

// TestSecuritySlowClients is issue 13 item 3: 1,000 connections trickling
// a byte every 10 s stayed open. A trickled body is cut off (408) at its
// deadline, trickled headers at the header timeout, and connections beyond
// the caps are refused at once; the server keeps serving others.
func TestSecuritySlowClients(t *testing.T) {
	e := newTestEnv(t, func(c *Config) {
		c.Limits = Limits{BodyTimeout: 300 * time.Millisecond, MinBodyRate: 1 << 10, ReadHeaderTimeout: 300 * time.Millisecond,
			MaxConns: 40, MaxConnsPerAddress: 30}
	})
	addr := serveLoopback(t, e)
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// until reads what the server sends until it closes, or fails after d.
	until := func(c net.Conn, d time.Duration) (string, time.Duration) {
		start := time.Now()
		c.SetReadDeadline(start.Add(d))
		b, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return "", -1
		}
		return string(b), time.Since(start)
	}

	// A body trickled a byte every 100 ms.
	c := dial()
	fmt.Fprintf(c, "POST /api/v1/reviews HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", e.tokens[saydo.RoleApprover])
	go func(c net.Conn) { // its own c: the test reuses the variable below
		for range 50 {
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}(c)
	got, took := until(c, 4*time.Second)
	if took < 0 || !strings.Contains(got, "408") || !strings.Contains(got, "too slowly") {
		t.Errorf("trickled body: after %v got %q; want a 408 and the connection closed", took, got)
	}

	// A body announced and never sent, to handlers that do not read one
	// (no credentials; /healthz): the server once waited for it forever
	// after answering, and held the connection past shutdown.
	for _, path := range []string{"/healthz", "/api/v1/me", "/nope"} {
		c = dial()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n", path)
		if _, took := until(c, 3*time.Second); took < 0 {
			t.Errorf("GET %s with a body announced and not sent: still open after 3 s", path)
		}
	}

	// Headers trickled: cut at the header timeout.
	c = dial()
	fmt.Fprint(c, "GET /healthz HTTP/1.1\r\n")
	go func(c net.Conn) {
		for i := range 40 {
			if _, err := fmt.Fprintf(c, "X-Slow-%d: 1\r\n", i); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}(c)
	if _, took := until(c, 3*time.Second); took < 0 {
		t.Errorf("trickled headers: still open after 3 s")
	}

	// Many idle connections: those beyond the per-address cap are answered
	// 503 at once; the rest are closed at the header timeout. A server of
	// its own with a 2 s header timeout, so that on a busy machine the
	// held connections cannot time out before the extra one arrives.
	e2 := newTestEnv(t, func(c *Config) {
		c.Limits = Limits{BodyTimeout: 300 * time.Millisecond, MinBodyRate: 1 << 10, ReadHeaderTimeout: 2 * time.Second,
			MaxConns: 40, MaxConnsPerAddress: 30}
	})
	addr2 := serveLoopback(t, e2)
	dial2 := func() net.Conn {
		c, err := net.Dial("tcp", addr2)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	var held []net.Conn
	for range 30 {
		held = append(held, dial2())
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n := openConns(e2.srv); n >= 30 || time.Now().After(deadline) {
			break
		}
	}
	extra := dial2()
	if got, took := until(extra, time.Second); took < 0 || !strings.Contains(got, "503") || !strings.Contains(got, "application/json") ||
		!strings.Contains(got, `"error":"too many connections`) {
		t.Errorf("connection beyond the cap: %q after %v, want a JSON 503 at once", got, took)
	}
	for _, h := range held {
		if _, took := until(h, 5*time.Second); took < 0 {
			t.Errorf("idle connection without a request: still open after 5 s")
			break
		}
	}
	// After the attack the server serves.
	resp, err := nethttp.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the attack: %v %v", resp, err)
	}
	resp.Body.Close()
	// Headers past Limits.MaxHeaderBytes (64 KiB).
	req := mustReq(t, "GET", "http://"+addr+"/healthz", "")
	req.Header.Set("X-Big", strings.Repeat("x", 100<<10))
	if resp, err := nethttp.DefaultClient.Do(req); err != nil || resp.StatusCode != 431 {
		t.Errorf("100 KiB of headers: %v %v, want 431", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestSecurityInFlightCap: requests beyond MaxInFlight get 503 with
// Retry-After instead of queueing without bound.
func TestSecurityInFlightCap(t *testing.T) {
	release := make(chan struct{})
	e := newTestEnv(t, func(c *Config) {
		c.Limits = Limits{MaxInFlight: 2}
		voice := c.Voice
		c.Voice = func(ctx context.Context, ws *saydo.Workspace) (*VoiceReport, error) {
			<-release
			return voice(ctx, ws)
		}
	})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.do(saydo.RoleViewer, "GET", "/api/v1/voice", "")
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); len(e.srv.inFlight) < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the two slow requests are not in flight after 10 s (%d are)", len(e.srv.inFlight))
		}
	}
	req := mustReq(t, "GET", e.ts.URL+"/api/v1/promises", "")
	req.Header.Set("Authorization", "Bearer "+e.tokens[saydo.RoleViewer])
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third request with two in flight: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if code, _ := e.do("", "GET", "/healthz", ""); code != 200 {
		t.Errorf("healthz while busy: %d, want 200", code)
	}
	close(release)
	wg.Wait()
	if code, _ := e.do(saydo.RoleViewer, "GET", "/api/v1/promises", ""); code != 200 {
		t.Errorf("after the busy requests: %d", code)
	}
}

// TestSecurityUsersPage: the admin's Users page changes a role and removes
// a user through forms (with the session's CSRF token); other roles do not
// see it.
func TestSecurityUsersPage(t *testing.T) {
	e := newTestEnv(t, nil)
	viewer, _ := e.login(saydo.RoleViewer)
	if code, _ := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/users", "")); code != 403 {
		t.Errorf("viewer opens /users: %d, want 403", code)
	}
	admin, _ := e.login(saydo.RoleAdmin)
	code, page := e.send(admin, mustReq(t, "GET", e.ts.URL+"/users", ""))
	if code != 200 || !strings.Contains(page, `id="user-analyst"`) || !strings.Contains(page, `href="/users"`) {
		t.Fatalf("admin opens /users: %d\n%s", code, page)
	}
	post := func(name string, v url.Values) (int, string) {
		v.Set("csrf", findCSRF(t, page))
		req := mustReq(t, "POST", e.ts.URL+"/users/"+name, v.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return e.send(admin, req)
	}
	if code, body := post("analyst", url.Values{"action": {"role"}, "role": {"approver"}}); code != 200 || !strings.Contains(body, "analyst is now approver") {
		t.Errorf("role form: %d\n%s", code, body)
	}
	if code, body := post("viewer", url.Values{"action": {"remove"}}); code != 200 || !strings.Contains(body, "viewer was removed") || strings.Contains(body, `id="user-viewer"`) {
		t.Errorf("remove form: %d\n%s", code, body)
	}
	if code, _ := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/api/v1/me", "")); code != 401 {
		t.Errorf("the removed viewer's session: %d, want 401", code)
	}
	if code, body := post("admin", url.Values{"action": {"role"}, "role": {"viewer"}}); code != 409 || !strings.Contains(body, "last admin") {
		t.Errorf("demote the last admin by form: %d, want 409\n%s", code, body)
	}
	req := mustReq(t, "POST", e.ts.URL+"/users/analyst", url.Values{"action": {"remove"}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, _ := e.send(admin, req); code != 403 {
		t.Errorf("form without CSRF: %d, want 403", code)
	}
	// A link cannot put its own words in the success banner.
	for _, q := range []string{
		"done=" + url.QueryEscape("Security notice: re-enter your password at https://evil.example"),
		"done=remove&user=" + url.QueryEscape("Security notice: https://evil.example"),
		"done=role&user=analyst&role=admin", // analyst is an approver
		// Nor announce a change nobody made, even one that could be true.
		"done=password&user=analyst",
		"done=logout&user=analyst",
		"done=role&user=analyst&role=approver",
		"done=role&user=analyst&role=approver&sig=AAAAAAAAAAAAAAAAAAAAAA",
	} {
		if _, body := e.send(admin, mustReq(t, "GET", e.ts.URL+"/users?"+q, "")); strings.Contains(body, "evil.example") || strings.Contains(body, "is now") ||
			strings.Contains(body, "password was reset") || strings.Contains(body, "signed out everywhere") {
			t.Errorf("/users?%s shows the link's words", q)
		}
	}
}

// FuzzSecurityAPI sends arbitrary methods, paths, query strings and bodies
// to the server with each role's token: whatever comes in, the answer is
// never a 500 (a handler panic is recovered into one) and never a 2xx on
// a route the role may not use. .ci/fuzz runs it; the seeds run in go test.
func FuzzSecurityAPI(f *testing.F) {
	seeds := []struct {
		method      uint8
		path, body  string
		role        uint8
		contentType bool
	}{
		{0, "/api/v1/gaps?from=0001-01-01&to=9999-12-31&period=day", "", 0, false},
		{0, "/api/v1/gaps?by=region&period=quarter&promise=fix-fast", "", 0, false},
		{1, "/api/v1/reviews", `{"message_id":"welcome-email","version":1,"action":"approve"}{}`, 2, true},
		{1, "/api/v1/observations", "{\"metric\":\"call_wait_seconds\",\"value\":1e308,\"at\":\"9999-12-31\",\"region\":\"\\u001f\"}\n{", 1, false},
		{2, "/api/v1/users/analyst", `{"role":"admin"}`, 3, true},
		{3, "/api/v1/users/admin/sessions", "", 3, false},
		{0, "/api/v1/journeys?from=2026-02-30", "", 0, false},
		{0, "/api/v1/audit?before=-1&limit=0", "", 0, false},
		{1, "/api/v1/journeys/check", `{"customer":"c1","at":"2026-01-01","department":"care","channel":"sms","intent":"warning"}`, 0, true},
		{0, "/promises/answer-in-2-min?period=day&by=region", "", 0, false},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.body, s.role, s.contentType)
	}
	e := newTestEnv(f, func(c *Config) { c.Logger = nil })
	e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	methods := []string{"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"}
	f.Fuzz(func(t *testing.T, method uint8, path, body string, role uint8, contentType bool) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := nethttp.NewRequest(methods[int(method)%len(methods)], "http://saydo.test"+path, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		r := saydo.Roles[int(role)%len(saydo.Roles)]
		req.Header.Set("Authorization", "Bearer "+e.tokens[r])
		if contentType {
			req.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != 501 && w.Code != 503 {
			t.Fatalf("%s %s as %s (body %.200q): %d %.300s", req.Method, path, r, body, w.Code, w.Body.String())
		}
		if w.Code < 300 && r != saydo.RoleAdmin && strings.HasPrefix(req.URL.Path, "/api/v1/users") {
			t.Fatalf("%s %s as %s: %d, the admin's route answered another role", req.Method, path, r, w.Code)
		}
	})
}
