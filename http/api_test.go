package http

import (
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

const (
	goodRows = `{"metric":"call_wait_seconds","value":30,"at":"2026-02-01T10:00:00Z","id":"a1"}
{"metric":"call_wait_seconds","value":"abc","at":"2026-02-01T10:00:00Z"}
{"metric":"nope","value":1,"at":"2026-02-01"}
`
	approveBody = `{"message_id":"welcome-email","version":1,"action":"approve","comment":"fine"}`
)

// TestRoleMatrix sends every API route with no credentials, a bad token
// and each role's token, and checks the status.
func TestRoleMatrix(t *testing.T) {
	e := newTestEnv(t, nil)
	// Make the messages known so reviews can be posted.
	e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	all := map[saydo.Role]int{saydo.RoleViewer: 200, saydo.RoleAnalyst: 200, saydo.RoleApprover: 200, saydo.RoleAdmin: 200}
	only := func(ok int, roles ...saydo.Role) map[saydo.Role]int {
		m := map[saydo.Role]int{}
		for _, r := range saydo.Roles {
			m[r] = 403
		}
		for _, r := range roles {
			m[r] = ok
		}
		return m
	}
	tests := []struct {
		method, path, body string
		want               map[saydo.Role]int
		bodyFor            map[saydo.Role]string // overrides body
	}{
		{method: "GET", path: "/api/v1/openapi.json", body: "", want: all},
		{method: "GET", path: "/api/v1/me", body: "", want: all},
		{method: "GET", path: "/api/v1/promises", body: "", want: all},
		{method: "GET", path: "/api/v1/gaps", body: "", want: all},
		{method: "GET", path: "/api/v1/gaps?promise=answer-in-2-min&period=month&from=2026-01-01&to=2026-03-31&by=region", body: "", want: all},
		{method: "GET", path: "/api/v1/voice", body: "", want: all},
		{method: "GET", path: "/api/v1/messages", body: "", want: all},
		{method: "GET", path: "/api/v1/messages/overdue-sms", body: "", want: all},
		{method: "GET", path: "/api/v1/reviews", body: "", want: all},
		{method: "GET", path: "/api/v1/audit", body: "", want: all},
		{method: "GET", path: "/metrics", body: "", want: all},
		{method: "POST", path: "/api/v1/observations", body: goodRows, want: only(200, saydo.RoleAnalyst, saydo.RoleAdmin)},
		{method: "POST", path: "/api/v1/feedback", body: `{"at":"2026-02-01","text":"slow"}`, want: only(200, saydo.RoleAnalyst, saydo.RoleAdmin)},
		{method: "POST", path: "/api/v1/reviews", body: `{"message_id":"overdue-sms","version":1,"action":"request_changes","comment":"no shouting"}`, want: only(200, saydo.RoleApprover, saydo.RoleAdmin),
			bodyFor: map[saydo.Role]string{saydo.RoleAdmin: `{"message_id":"overdue-sms","version":1,"action":"approve","override":true,"comment":"legal signed off"}`}},
		{method: "GET", path: "/api/v1/users", body: "", want: only(200, saydo.RoleAdmin)},
		{method: "POST", path: "/api/v1/users", body: `{"name":"zoe","role":"viewer","password":"long enough password"}`, want: only(201, saydo.RoleAdmin)},
		{method: "GET", path: "/api/v1/tokens", body: "", want: only(200, saydo.RoleAdmin)},
		{method: "POST", path: "/api/v1/tokens", body: `{"name":"ci","role":"analyst"}`, want: only(201, saydo.RoleAdmin)},
		{method: "DELETE", path: "/api/v1/tokens/999", body: "", want: only(404, saydo.RoleAdmin)},
	}
	for _, tt := range tests {
		name := tt.method + " " + tt.path
		if code, _ := e.do("", tt.method, tt.path, tt.body); code != 401 {
			t.Errorf("%s without credentials: got %d, want 401", name, code)
		}
		req := mustReq(t, tt.method, e.ts.URL+tt.path, tt.body)
		req.Header.Set("Authorization", "Bearer sd_not-a-token")
		if code, _ := e.send(nethttp.DefaultClient, req); code != 401 {
			t.Errorf("%s with a wrong token: got %d, want 401", name, code)
		}
		for _, role := range saydo.Roles {
			body := tt.body
			if b, ok := tt.bodyFor[role]; ok {
				body = b
			}
			code, body := e.do(role, tt.method, tt.path, body)
			if code != tt.want[role] {
				t.Errorf("%s as %s: got %d, want %d\n%s", name, role, code, tt.want[role], body)
			}
			if code >= 400 && !strings.Contains(body, `"error"`) {
				t.Errorf("%s as %s: error body is not JSON: %s", name, role, body)
			}
		}
	}
}

func TestHealthzOpen(t *testing.T) {
	e := newTestEnv(t, nil)
	if code, body := e.do("", "GET", "/healthz", ""); code != 200 || body != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", code, body)
	}
	if code, _ := e.do("", "GET", "/assets/style.css", ""); code != 200 {
		t.Errorf("GET /assets/style.css = %d, want 200", code)
	}
}

// TestUnknownRoutesNeedSignIn: what is not a route, or not with this
// method, is said only to a caller who is signed in, as a JSON error
// under /api/ and as a page elsewhere; anyone else gets 401 or the login
// page, whatever the path, so routes cannot be mapped by probing.
func TestUnknownRoutesNeedSignIn(t *testing.T) {
	e := newTestEnv(t, nil)
	noRedirect := &nethttp.Client{CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }}
	tests := []struct {
		role         saydo.Role
		method, path string
		want         int
		allow, ctype string
	}{
		{"", "GET", "/api/v1/nothing", 401, "", "application/json"},
		{"", "DELETE", "/api/v1/users", 401, "", "application/json"},
		{"", "POST", "/promises/answer-in-2-min", 401, "", "application/json"},
		{"", "GET", "/nothing", 303, "", ""},
		{saydo.RoleViewer, "GET", "/api/v1/nothing", 404, "", "application/json"},
		{saydo.RoleViewer, "DELETE", "/api/v1/users", 405, "GET, POST", "application/json"},
		{saydo.RoleViewer, "GET", "/nothing", 404, "", "text/html"},
		{saydo.RoleViewer, "POST", "/healthz", 405, "GET, HEAD", "text/html"},
		{saydo.RoleViewer, "DELETE", "/promises/answer-in-2-min", 405, "GET, HEAD", "text/html"},
	}
	for _, tt := range tests {
		req := mustReq(t, tt.method, e.ts.URL+tt.path, "")
		if tt.role != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[tt.role])
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want || resp.Header.Get("Allow") != tt.allow || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
			t.Errorf("%q %s %s = %d (Allow %q, %s) %.120s; want %d (Allow %q, %s)", tt.role, tt.method, tt.path,
				resp.StatusCode, resp.Header.Get("Allow"), resp.Header.Get("Content-Type"), body, tt.want, tt.allow, tt.ctype)
		}
		if tt.want == 303 && !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("%s %s: redirected to %q, want the login page", tt.method, tt.path, resp.Header.Get("Location"))
		}
	}
}

func TestGapsMatchReport(t *testing.T) {
	e := newTestEnv(t, nil)
	code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?by=region&period=week", "")
	if code != 200 {
		t.Fatalf("GET gaps: %d %s", code, body)
	}
	var rep saydo.GapReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Promises) != 2 || rep.By != "region" || rep.Period != "week" {
		t.Fatalf("report: %d promises, by %q, period %q", len(rep.Promises), rep.By, rep.Period)
	}
	p := rep.Promises[0]
	if p.ID != "answer-in-2-min" || p.Latest == nil || len(p.Breakdown) != 2 || p.Voice == nil || p.Voice.Mentions != 2 {
		t.Errorf("first promise: %+v", p)
	}
	tests := []struct{ query, want string }{
		{"promise=nope", "unknown promise"},
		{"period=fortnight", "period"},
		{"from=2026-13-01", "YYYY-MM-DD"},
		{"from=2026-03-01&to=2026-01-01", "before from"},
		{"color=red", "unknown parameter"},
	}
	for _, tt := range tests {
		code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/gaps?"+tt.query, "")
		if code != 400 || !strings.Contains(body, tt.want) {
			t.Errorf("gaps?%s = %d %s, want 400 mentioning %q", tt.query, code, body, tt.want)
		}
	}
	// The voice report takes no parameters: a range it would ignore is
	// refused, not answered with all the feedback.
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/voice?from=2030-01-01", ""); code != 400 || !strings.Contains(body, "unknown parameter") {
		t.Errorf("voice?from=2030-01-01 = %d %s, want 400", code, body)
	}
}

func TestIngestObservations(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxIngestBytes = 4096 })
	code, body := e.do(saydo.RoleAnalyst, "POST", "/api/v1/observations", goodRows)
	if code != 200 {
		t.Fatalf("ingest: %d %s", code, body)
	}
	var res ingestResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Read != 3 || res.Accepted != 1 || res.Rejected != 2 || len(res.Rejects) != 2 || res.Rejects[0].Line != 2 {
		t.Errorf("ingest result = %+v, want 3 read, 1 accepted, 2 rejected (lines 2, 3)", res)
	}
	// Again: a duplicate, not a new row.
	_, body = e.do(saydo.RoleAnalyst, "POST", "/api/v1/observations", goodRows)
	json.Unmarshal([]byte(body), &res)
	if res.Accepted != 0 || res.Duplicates != 1 {
		t.Errorf("re-import = %+v, want 0 accepted, 1 duplicate", res)
	}
	// Strict: nothing stored, 422.
	if code, _ := e.do(saydo.RoleAnalyst, "POST", "/api/v1/observations?strict=true", goodRows); code != 422 {
		t.Errorf("strict import with rejects: got %d, want 422", code)
	}
	if code, _ := e.do(saydo.RoleAnalyst, "POST", "/api/v1/observations?bogus=1", goodRows); code != 400 {
		t.Errorf("unknown parameter: got %d, want 400", code)
	}
	big := strings.Repeat(`{"metric":"call_wait_seconds","value":30,"at":"2026-02-01T10:00:00Z"}`+"\n", 100)
	if code, body := e.do(saydo.RoleAnalyst, "POST", "/api/v1/observations", big); code != 413 {
		t.Errorf("body over the limit: got %d, want 413: %s", code, body)
	}
	// The same over the limit without a Content-Length (chunked).
	req := mustReq(t, "POST", e.ts.URL+"/api/v1/observations", "")
	req.Body = readerOnly{strings.NewReader(big)}
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+e.tokens[saydo.RoleAnalyst])
	if code, body := e.send(nethttp.DefaultClient, req); code != 413 || !strings.Contains(body, "0 rows before the limit were stored") {
		t.Errorf("chunked body over the limit: got %d, want 413 saying what was stored: %s", code, body)
	}
	// An import cut short is in the audit log with what it stored.
	entries, _ := e.st.Audit(t.Context(), 0, 50)
	found := false
	for _, a := range entries {
		if a.Action == "ingest_observations" && strings.HasPrefix(a.Detail, "stopped (") && strings.Contains(a.Detail, "stored 0 before it") {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry for the import cut short: %+v", entries)
	}
}

type readerOnly struct{ r *strings.Reader }

func (r readerOnly) Read(p []byte) (int, error) { return r.r.Read(p) }
func (r readerOnly) Close() error               { return nil }

func TestJSONBodyLimitAndValidation(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxBodyBytes = 256 })
	e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	long := fmt.Sprintf(`{"message_id":"welcome-email","version":1,"action":"approve","comment":%q}`, strings.Repeat("x", 400))
	tests := []struct {
		body string
		want int
	}{
		{long, 413},
		{`{"message_id":"welcome-email","version":1,"action":"approve","extra":1}`, 400},
		{`{"message_id":"welcome-email","version":1,"action":"destroy"}`, 400},
		{`{"message_id":"welcome-email","version":1,"action":"request_changes"}`, 400},
		{`{"message_id":"nope","version":1,"action":"approve"}`, 404},
		{`{"message_id":"welcome-email","version":7,"action":"approve"}`, 409},
		{approveBody, 200},
		{approveBody, 409},
		{`not json`, 400},
	}
	for _, tt := range tests {
		code, body := e.do(saydo.RoleApprover, "POST", "/api/v1/reviews", tt.body)
		if code != tt.want {
			t.Errorf("POST reviews %.60s: got %d, want %d: %s", tt.body, code, tt.want, body)
		}
		if code == 409 && strings.Contains(body, ": conflict") {
			t.Errorf("POST reviews %.60s: the sentinel's word in the reason: %s", tt.body, body)
		}
	}
}

func TestReviewWorkflowAndNewVersion(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.ReportTTL = 1 })
	var list struct{ Messages []messageJSON }
	_, body := e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	json.Unmarshal([]byte(body), &list)
	if len(list.Messages) != 2 {
		t.Fatalf("messages: %s", body)
	}
	for _, m := range list.Messages {
		if m.Review == nil || m.Review.State != saydo.InReview || m.Version != 1 {
			t.Errorf("%s: review %+v version %d, want in_review at version 1", m.ID, m.Review, m.Version)
		}
		if m.ID == "overdue-sms" && (len(m.Findings) != 1 || m.Findings[0].Rule != "saydo.Tone") {
			t.Errorf("overdue-sms findings = %+v, want saydo.Tone", m.Findings)
		}
	}
	if code, body := e.do(saydo.RoleApprover, "POST", "/api/v1/reviews", approveBody); code != 200 || !strings.Contains(body, `"approved"`) {
		t.Fatalf("approve: %d %s", code, body)
	}
	// The author changes the approved message: a new version, back in review.
	e.mu.Lock()
	e.messages[1].Body += " Thank you."
	e.mu.Unlock()
	e.srv.syncedAt = e.srv.syncedAt.Add(-messageSyncInterval)
	_, body = e.do(saydo.RoleViewer, "GET", "/api/v1/messages/welcome-email", "")
	var d messageDetail
	json.Unmarshal([]byte(body), &d)
	if len(d.Versions) != 2 || d.Review == nil || d.Review.Version != 2 || d.Review.State != saydo.InReview {
		t.Fatalf("after a change: %s", body)
	}
	if d.Versions[1].Review == nil || d.Versions[1].Review.State != saydo.Approved {
		t.Errorf("version 1 review = %+v, want approved", d.Versions[1].Review)
	}
	_, body = e.do(saydo.RoleViewer, "GET", "/api/v1/audit", "")
	for _, want := range []string{`"approve"`, `"new_version"`, `"token:t-approver"`} {
		if !strings.Contains(body, want) {
			t.Errorf("audit lacks %s:\n%s", want, body)
		}
	}
	_, body = e.do(saydo.RoleViewer, "GET", "/api/v1/reviews?state=in_review", "")
	if strings.Count(body, `"message_id"`) != 2 {
		t.Errorf("reviews in review = %s, want both messages", body)
	}
}

func TestSessionsCSRFAndCookies(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.SecureCookies = true })
	// Login form CSRF: a post without the login cookie is refused.
	req := mustReq(t, "POST", e.ts.URL+"/login", url.Values{"name": {"admin"}, "password": {e.password}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, _ := e.send(newClient(), req); code != 403 {
		t.Errorf("login without CSRF: got %d, want 403", code)
	}
	// Wrong password.
	c := newClient()
	_, page := e.send(c, mustReq(t, "GET", e.ts.URL+"/login", ""))
	req = mustReq(t, "POST", e.ts.URL+"/login", url.Values{"name": {"admin"}, "password": {"wrong"}, "csrf": {findCSRF(t, page)}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, _ := e.send(c, req); code != 401 {
		t.Errorf("wrong password: got %d, want 401", code)
	}
	// A good login sets a HttpOnly, SameSite=Lax, Secure cookie.
	c = newClient()
	c.CheckRedirect = func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }
	_, page = e.send(c, mustReq(t, "GET", e.ts.URL+"/login", ""))
	req = mustReq(t, "POST", e.ts.URL+"/login", url.Values{"name": {"approver"}, "password": {e.password}, "csrf": {findCSRF(t, page)}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var sess *nethttp.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			sess = ck
		}
	}
	if resp.StatusCode != 303 || sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != nethttp.SameSiteLaxMode {
		t.Fatalf("login: %d, cookie %+v; want 303 and an HttpOnly, Secure, SameSite=Lax session cookie", resp.StatusCode, sess)
	}

	sc, csrf := e.login(saydo.RoleApprover)
	e.do(saydo.RoleViewer, "GET", "/api/v1/messages", "")
	post := func(path, body, ctype, token string) int {
		req := mustReq(t, "POST", e.ts.URL+path, body)
		req.Header.Set("Content-Type", ctype)
		if token != "" {
			req.Header.Set("X-CSRF-Token", token)
		}
		code, _ := e.send(sc, req)
		return code
	}
	form := url.Values{"version": {"1"}, "action": {"approve"}}
	tests := []struct {
		name, path, body, ctype, header string
		want                            int
	}{
		{"form without csrf", "/messages/welcome-email/review", form.Encode(), "application/x-www-form-urlencoded", "", 403},
		{"form with a wrong csrf", "/messages/welcome-email/review", form.Encode() + "&csrf=nope", "application/x-www-form-urlencoded", "", 403},
		{"API without csrf", "/api/v1/reviews", approveBody, "application/json", "", 403},
		{"API with csrf", "/api/v1/reviews", approveBody, "application/json", csrf, 200},
		{"form with csrf, already approved", "/messages/welcome-email/review", form.Encode() + "&csrf=" + url.QueryEscape(csrf), "application/x-www-form-urlencoded", "", 409},
	}
	for _, tt := range tests {
		if got := post(tt.path, tt.body, tt.ctype, tt.header); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	// Sign out ends the session.
	if code := post("/logout", "csrf="+url.QueryEscape(csrf), "application/x-www-form-urlencoded", ""); code != 200 {
		t.Errorf("logout: got %d, want 200 (the login page after the redirect)", code)
	}
	req = mustReq(t, "GET", e.ts.URL+"/api/v1/me", "")
	if code, _ := e.send(sc, req); code != 401 {
		t.Errorf("after logout: got %d, want 401", code)
	}
}

func TestDashboardPages(t *testing.T) {
	e := newTestEnv(t, nil)
	// Without a session, pages redirect to the login page.
	c := newClient()
	c.CheckRedirect = func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }
	resp, err := c.Get(e.ts.URL + "/promises/answer-in-2-min")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?next=/promises/answer-in-2-min" {
		t.Errorf("page without a session: %d to %q, want 303 to the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	viewer, _ := e.login(saydo.RoleViewer)
	tests := []struct {
		path string
		code int
		want []string
	}{
		{"/", 200, []string{"answer-in-2-min", "fix-fast", "<svg class=\"spark\"", "Customer care"}},
		{"/promises/answer-in-2-min?by=region", 200, []string{"We answer every call", "chart-data", "north", "I waited for ages", "Customer care", "id=\"periods\"", "NPS -50", "CSAT 25% satisfied"}},
		{"/promises/nope", 404, []string{"no promise"}},
		{"/expectations", 200, []string{"price rise", "Nobody told me", "href=\"/expectations/1\""}},
		{"/expectations/1", 200, []string{"nobody told me about the price rise", "theme 1"}},
		{"/expectations/2", 404, nil},
		{"/departments/care", 200, []string{"Answer within two minutes.", "answer-in-2-min", "I waited for ages"}},
		{"/departments/nope", 404, nil},
		{"/messages", 200, []string{"overdue-sms", "in review"}},
		{"/messages/overdue-sms", 200, []string{"PAY NOW", "saydo.Tone", "History"}},
		{"/messages/nope", 404, nil},
	}
	for _, tt := range tests {
		code, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+tt.path, ""))
		if code != tt.code {
			t.Errorf("GET %s: got %d, want %d", tt.path, code, tt.code)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: page lacks %q", tt.path, w)
			}
		}
		if i := strings.Index(body, "%!"); i >= 0 {
			t.Errorf("GET %s: a value printed with the wrong verb: %q", tt.path, body[i:min(len(body), i+40)])
		}
	}
	// A viewer sees no review forms and may not post one.
	_, body := e.send(viewer, mustReq(t, "GET", e.ts.URL+"/messages/overdue-sms", ""))
	if strings.Contains(body, `id="approve"`) {
		t.Errorf("viewer sees the approve form")
	}
	req := mustReq(t, "POST", e.ts.URL+"/messages/overdue-sms/review", url.Values{"version": {"1"}, "action": {"approve"}, "csrf": {findCSRF(t, body)}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, _ := e.send(viewer, req); code != 403 {
		t.Errorf("viewer posts a review: got %d, want 403", code)
	}
	// An approver approves through the form: overdue-sms shouts (a lint
	// error), so the form asks for the override and its reason.
	approver, _ := e.login(saydo.RoleApprover)
	_, body = e.send(approver, mustReq(t, "GET", e.ts.URL+"/messages/overdue-sms", ""))
	if !strings.Contains(body, `id="override-warning"`) || !strings.Contains(body, `name="override"`) {
		t.Errorf("the review form of a message with a lint error has no override:\n%s", body)
	}
	post := func(v url.Values) (int, string) {
		v.Set("version", "1")
		v.Set("action", "approve")
		v.Set("csrf", findCSRF(t, body))
		req := mustReq(t, "POST", e.ts.URL+"/messages/overdue-sms/review", v.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return e.send(approver, req)
	}
	if code, page := post(url.Values{}); code != 422 || !strings.Contains(page, "error-level lint") {
		t.Errorf("approve without override: %d, want 422 naming the lint errors\n%s", code, page)
	}
	if code, _ := post(url.Values{"override": {"on"}}); code != 422 {
		t.Errorf("override without a reason: %d, want 422", code)
	}
	if code, page := post(url.Values{"override": {"on"}, "comment": {"legal signed off the wording"}}); code != 200 || !strings.Contains(page, `id="review-state">approved`) {
		t.Errorf("approve with override and reason: %d\n%s", code, page)
	}
}

func TestMetrics(t *testing.T) {
	e := newTestEnv(t, nil)
	e.do(saydo.RoleViewer, "GET", "/api/v1/gaps", "")
	// Methods of the client's invention count as one: a label per method
	// let anyone grow the metrics without bound.
	for i := range 3 {
		e.do(saydo.RoleViewer, fmt.Sprintf("M%s%d", strings.Repeat("A", 1000), i), "/healthz", "")
	}
	code, body := e.do(saydo.RoleViewer, "GET", "/metrics", "")
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
	if strings.Contains(body, "MAAAA") || !strings.Contains(body, `method="other"`) {
		t.Errorf("invented methods in the metrics:\n%.2000s", body)
	}
	for _, want := range []string{
		`saydo_promise_delivered{promise="answer-in-2-min"} `,
		`saydo_promise_gap{promise="fix-fast"} `,
		`saydo_promise_status{promise="answer-in-2-min",status="kept"} `,
		`saydo_http_requests_total{route="/api/v1/gaps",method="GET",code="200"} 1`,
		`saydo_http_request_duration_seconds_bucket{route="/api/v1/gaps",le="+Inf"} 1`,
		"# TYPE saydo_http_request_duration_seconds histogram",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// TestOpenAPIMatchesRoutes checks that every registered route is in the
// OpenAPI document and every documented operation is registered.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newTestEnv(t, nil)
	var doc struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var documented, registered []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	for _, r := range e.srv.routes {
		if r.api || r.path == "/healthz" || r.path == "/metrics" {
			registered = append(registered, r.method+" "+r.path)
		}
	}
	sort.Strings(documented)
	sort.Strings(registered)
	if strings.Join(documented, "\n") != strings.Join(registered, "\n") {
		t.Errorf("OpenAPI and routes differ.\ndocumented:\n%s\n\nregistered:\n%s", strings.Join(documented, "\n"), strings.Join(registered, "\n"))
	}
	// The served document is the embedded one.
	code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/openapi.json", "")
	if code != 200 || body != string(openAPIDocument) {
		t.Errorf("GET openapi.json: %d, %d bytes", code, len(body))
	}
	if _, err := os.Stat("openapi.json"); err != nil {
		t.Errorf("openapi.json: %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	h := HashPassword("s3cret password")
	tests := []struct {
		hash, password string
		want           bool
	}{
		{h, "s3cret password", true},
		{h, "s3cret passwore", false},
		{h, "", false},
		{"$argon2id$v=19$m=1,t=1,p=1$$", "x", false},
		{"plain", "plain", false},
		{strings.Replace(h, "m=19456", "m=99999999", 1), "s3cret password", false},
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.hash, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%.30s…, %q) = %v, want %v", tt.hash, tt.password, got, tt.want)
		}
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %s, want the PHC argon2id form", h)
	}
	if h == HashPassword("s3cret password") {
		t.Errorf("two hashes of one password are equal: no salt")
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/promises/x", "/promises/x"}, {"", "/"}, {"//evil.example", "/"}, {"https://evil.example", "/"}, {"/\\evil", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ptr(f float64) *float64 { return &f }

// TestJSONReason: a bad body is described in the client's terms, not the
// decoder's.
func TestJSONReason(t *testing.T) {
	var v struct {
		Customer string `json:"customer"`
	}
	for body, want := range map[string]string{
		"not json":         "not JSON at byte 2",
		`{"customer": 7}`:  `field "customer": want string, got a JSON number`,
		`[1]`:              "want a JSON object, got a JSON array",
		`{"customer": "a"`: "the body ends before the JSON object does",
		`{"custmer": "a"}`: `unknown field "custmer"`,
	} {
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		err := dec.Decode(&v)
		if err == nil {
			t.Fatalf("%q decoded", body)
		}
		if got := jsonReason(err); !strings.Contains(got, want) {
			t.Errorf("jsonReason(%q) = %q, want it to contain %q", body, got, want)
		}
	}
}

// TestTokenExpiryBounded: a token's expiry is at most ten years ahead,
// given as a lifetime or as a date, and the audit log says it whichever
// way the token was made.
func TestTokenExpiryBounded(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"3651d", "9999-12-31", "2037-01-01"} {
		if _, err := parseExpiry(s, now); err == nil {
			t.Errorf("parseExpiry(%q) accepted", s)
		}
	}
	for _, s := range []string{"3650d", "2036-11-29", "12h"} {
		if _, err := parseExpiry(s, now); err != nil {
			t.Errorf("parseExpiry(%q): %v", s, err)
		}
	}
	exp, _ := parseExpiry("2027-03-01", now)
	if got := TokenAuditDetail(saydo.RoleViewer, exp); got != "role viewer, expires 2027-03-01 00:00 UTC" {
		t.Errorf("audit detail %q", got)
	}
}

// TestQueryDocumented: every API endpoint refuses a parameter its
// OpenAPI entry does not document, and values out of their range, where
// they were answered as if not asked (a range on the voice report, a limit
// on a timeline, a misspelt review state, a limit past the most listed).
func TestQueryDocumented(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, q := range []string{
		"/api/v1/voice?from=2030-01-01", "/api/v1/promises?foo=1", "/api/v1/messages?x=1", "/api/v1/me?x=1",
		"/api/v1/customers/c1/timeline?limit=1", "/api/v1/reviews?state=bogus", "/api/v1/journeys?limit=1001",
		"/api/v1/gaps?%zz=1", "/api/v1/gaps?period=month&period=week",
	} {
		if code, body := e.do(saydo.RoleViewer, "GET", q, ""); code != 400 {
			t.Errorf("GET %s = %d %s, want 400", q, code, body)
		}
	}
	for _, q := range []string{"/api/v1/promises", "/api/v1/reviews?state=approved", "/api/v1/journeys?limit=1000", "/api/v1/gaps?period=month"} {
		if code, body := e.do(saydo.RoleViewer, "GET", q, ""); code != 200 {
			t.Errorf("GET %s = %d %s, want 200", q, code, body)
		}
	}
}

// TestLoginFormSurvivesAnotherView: a login form stays valid when the
// browser shows the login page again before it is sent (a second tab, or
// a signed-out request for an unknown path such as /favicon.ico, which
// lands on the login page).
func TestLoginFormSurvivesAnotherView(t *testing.T) {
	e := newTestEnv(t, nil)
	c := newClient()
	_, first := e.send(c, mustReq(t, "GET", e.ts.URL+"/login", ""))
	if code, _ := e.send(c, mustReq(t, "GET", e.ts.URL+"/favicon.ico", "")); code != 200 {
		t.Fatalf("signed-out GET /favicon.ico = %d, want the login page", code)
	}
	c.CheckRedirect = func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }
	req := mustReq(t, "POST", e.ts.URL+"/login", url.Values{"name": {string(saydo.RoleViewer)}, "password": {e.password}, "csrf": {findCSRF(t, first)}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, body := e.send(c, req); code != 303 {
		t.Errorf("signing in with the first form = %d, want 303:\n%.300s", code, body)
	}
}
