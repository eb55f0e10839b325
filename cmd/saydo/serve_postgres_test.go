package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/http"
	"github.com/saydo/saydo/postgres/pgtest"
	"github.com/saydo/saydo/yaml"
)

// syncBuffer is a bytes.Buffer safe for a server writing and a test reading.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var servingURL = regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)

// startServer runs 'saydo serve' in-process on its own store opened from
// dsn, as another process would, and returns its URL.
func startServer(t *testing.T, ctx context.Context, dir, dsn, reportTTL string) string {
	t.Helper()
	out := &syncBuffer{}
	e := &env{stdout: out, stderr: io.Discard, getenv: func(string) string { return "" }, now: time.Now}
	addr := "127.0.0.1:0"
	o := options{"workspace": &dir, "db": &dsn, "addr": &addr, "report-ttl": &reportTTL}
	ws, err := yaml.LoadWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openServerStore(ctx, e, o)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, e, o, ws, st, addr, "") }()
	t.Cleanup(func() {
		<-done
		st.Close()
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := servingURL.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("server did not start: %s", out.String())
	return ""
}

type apiClient struct {
	t     *testing.T
	token string
	c     *nethttp.Client
}

func (c apiClient) do(method, url, body string) (int, string) {
	c.t.Helper()
	req, err := nethttp.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-ndjson")
	}
	hc := c.c
	if hc == nil {
		hc = nethttp.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// observed returns how many observations GET /api/v1/gaps counts for the
// promise answer-in-2-min.
// contacts is how many contacts base's journeys report counts.
func (c apiClient) contacts(base string) int64 {
	c.t.Helper()
	code, body := c.do("GET", base+"/api/v1/journeys", "")
	if code != 200 {
		c.t.Fatalf("GET journeys: %d %s", code, body)
	}
	var rep struct {
		Contacts int64 `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		c.t.Fatal(err)
	}
	return rep.Contacts
}

func (c apiClient) observed(base string) int64 {
	c.t.Helper()
	code, body := c.do("GET", base+"/api/v1/gaps?promise=answer-in-2-min", "")
	if code != 200 {
		c.t.Fatalf("GET gaps: %d %s", code, body)
	}
	var rep struct {
		Promises []struct {
			Periods []struct {
				N int64 `json:"n"`
			} `json:"periods"`
		} `json:"promises"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		c.t.Fatal(err)
	}
	var n int64
	for _, p := range rep.Promises {
		for _, pd := range p.Periods {
			n += pd.N
		}
	}
	return n
}

func callRows(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, `{"id":"call-%d","metric":"call_wait_seconds","value":%d,"at":"2026-03-%02dT10:%02d:00Z"}`+"\n", i, i%200, 2+i%20, i%60)
	}
	return b.String()
}

// TestServersShareOnePostgres runs two servers on one PostgreSQL store, as
// two processes behind a load balancer: an import through one is reported
// by the other within 2 s although its reports are cached for an hour;
// a session started on one works on the other; a token revoked on one
// stops on the other; concurrent imports of overlapping rows through both
// store each row once.
func TestServersShareOnePostgres(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	dir := newWorkspace(t, testWorkspace)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Users and tokens, made as 'saydo user add' and 'saydo token create' do.
	st, err := openDSN(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, "ana", saydo.RoleAdmin, http.HashPassword("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateToken(ctx, "ci", saydo.RoleAnalyst, sha256.Sum256([]byte("sd_ci-secret")), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateToken(ctx, "admin", saydo.RoleAdmin, sha256.Sum256([]byte("sd_admin-secret")), time.Time{}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	a := startServer(t, ctx, dir, dsn, "1h")
	b := startServer(t, ctx, dir, dsn, "1h")
	defer cancel()
	ci := apiClient{t: t, token: "sd_ci-secret"}
	admin := apiClient{t: t, token: "sd_admin-secret"}

	if n := ci.observed(b); n != 0 {
		t.Fatalf("before any import B reports %d observations", n)
	}
	if code, body := ci.do("POST", a+"/api/v1/observations", callRows(0, 500)); code != 200 {
		t.Fatalf("import through A: %d %s", code, body)
	}
	start := time.Now()
	for ci.observed(b) != 500 {
		if time.Since(start) > 2*time.Second {
			t.Fatalf("B still reports %d observations 2 s after A imported 500 (its reports are cached for 1h: only a notification refreshes them)", ci.observed(b))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("B reported A's import after %v", time.Since(start).Round(time.Millisecond))

	// A session started on A works on B.
	jar, _ := cookiejar.New(nil)
	browser := &nethttp.Client{Jar: jar}
	resp, err := browser.Get(a + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if csrf == nil {
		t.Fatalf("no csrf field in the login page:\n%s", page)
	}
	resp, err = browser.PostForm(a+"/login", url.Values{"csrf": {string(csrf[1])}, "name": {"ana"}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	jar.SetCookies(ub, jar.Cookies(ua)) // the same site behind a load balancer
	if code, body := (apiClient{t: t, c: browser}).do("GET", b+"/api/v1/me", ""); code != 200 || !strings.Contains(body, "ana") {
		t.Errorf("session from A on B: %d %s", code, body)
	}

	// Concurrent imports of overlapping rows through both servers.
	var wg sync.WaitGroup
	for i, srv := range []string{a, b} {
		wg.Go(func() {
			for k := range 5 {
				lo := 500 + k*400 + i*200 // each batch shares 200 rows with the other server's
				if code, body := ci.do("POST", srv+"/api/v1/observations", callRows(lo, lo+400)); code != 200 {
					t.Errorf("import through %s: %d %s", srv, code, body)
				}
			}
		})
	}
	wg.Wait()
	want := int64(500 + 5*400 + 200)
	for _, srv := range []string{a, b} {
		start := time.Now()
		for ci.observed(srv) != want && time.Since(start) < 2*time.Second {
			time.Sleep(20 * time.Millisecond)
		}
		if n := ci.observed(srv); n != want {
			t.Errorf("%s reports %d observations after concurrent imports, want %d", srv, n, want)
		}
	}

	// Contacts imported by another process (the CLI: contacts have no
	// HTTP import) show in B's journeys report within 2 s.
	if n := ci.contacts(b); n != 0 {
		t.Fatalf("before any contacts import B reports %d contacts", n)
	}
	cst, err := openDSN(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, err := cst.BeginContacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]saydo.Contact, 50)
	for i := range batch {
		c := &batch[i]
		c.SourceID, c.Customer = fmt.Sprintf("c%d", i), fmt.Sprintf("cust-%d", i%7)
		c.At = time.Date(2026, 3, 1+i%20, 10, 0, 0, 0, time.UTC)
		c.Department, c.Channel, c.Intent = "sales", "sms", saydo.Intent("offer")
		c.Key = saydo.ContactKey(c, int64(i+2))
	}
	if _, err := ctx2.Insert(batch); err != nil {
		t.Fatal(err)
	}
	if err := ctx2.Commit(); err != nil {
		t.Fatal(err)
	}
	cst.Close()
	start = time.Now()
	for ci.contacts(b) != 50 {
		if time.Since(start) > 2*time.Second {
			t.Fatalf("B still reports %d contacts 2 s after another process imported 50 (its reports are cached for 1h: only a notification refreshes them)", ci.contacts(b))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A token revoked through A stops working on B at once.
	if code, _ := ci.do("GET", b+"/api/v1/me", ""); code != 200 {
		t.Fatalf("token on B before revocation: %d", code)
	}
	if code, body := admin.do("DELETE", fmt.Sprintf("%s/api/v1/tokens/%d", a, tok.ID), ""); code/100 != 2 {
		t.Fatalf("revoke through A: %d %s", code, body)
	}
	start = time.Now()
	for {
		code, _ := ci.do("GET", b+"/api/v1/me", "")
		if code == 401 {
			break
		}
		if time.Since(start) > 2*time.Second {
			t.Fatalf("revoked token still accepted by B after 2 s: %d", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
