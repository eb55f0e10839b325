package http

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/saydo/saydo"
)

// chromium finds a browser: $SAYDO_CHROMIUM, else Debian's chromium.
func chromium() string {
	if p := os.Getenv("SAYDO_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where screenshots go: $SAYDO_ARTIFACTS, else
// testdata/artifacts (ignored by git).
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("SAYDO_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowser drives a real headless Chromium: it signs in as an
// approver, opens the overview and a promise page, approves a message and
// checks what each page shows, saving screenshots.
// browserProfile is a fresh Chromium profile folder, removed at the end on
// a best-effort basis: Chromium may still be writing its cache as it
// exits, which t.TempDir's cleanup would report as a failure.
func browserProfile(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "saydo-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		time.Sleep(100 * time.Millisecond)
		os.RemoveAll(dir)
	})
	return dir
}

func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no browser: install Debian's chromium (apt-get install -y chromium) or set SAYDO_CHROMIUM; .ci/run installs it")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	e := newTestEnv(t, nil)
	profile := browserProfile(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	dir := artifactsDir(t)
	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		})
	}
	var overview, promise, rows, messageState, history, chartReady, warning, stillInReview string
	var tiles, legend, monthly, badRange, department string
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.ts.URL+"/"),
		chromedp.WaitVisible(`input[name="name"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="name"]`, string(saydo.RoleApprover), chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, e.password, chromedp.ByQuery),
		shot("login"),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#overview`, chromedp.ByQuery),
		chromedp.Text(`main`, &overview, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#overview tbody tr:not(.segment)").length + ""`, &rows),
		chromedp.Text(`#tiles`, &tiles, chromedp.ByQuery),
		shot("overview"),
		// The period selector and the date range.
		chromedp.SetValue(`#range select[name="period"]`, "month", chromedp.ByQuery),
		chromedp.Submit(`#range select[name="period"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#overview`, chromedp.ByQuery),
		chromedp.Text(`#overview`, &monthly, chromedp.ByQuery),
		shot("overview-month"),
		chromedp.Navigate(e.ts.URL+"/?from=2026-12-01&to=2026-01-01"),
		chromedp.WaitVisible(`#range-problem`, chromedp.ByQuery),
		chromedp.Text(`#range-problem`, &badRange, chromedp.ByQuery),
		chromedp.Navigate(e.ts.URL+"/"),
		chromedp.WaitVisible(`#overview`, chromedp.ByQuery),
		chromedp.Click(`a[href="/promises/answer-in-2-min"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#chart[data-ready="1"] canvas`, chromedp.ByQuery),
		chromedp.AttributeValue(`#chart`, "data-ready", &chartReady, nil, chromedp.ByQuery),
		chromedp.Text(`main`, &promise, chromedp.ByQuery),
		chromedp.Text(`.u-legend`, &legend, chromedp.ByQuery),
		shot("promise"),
		chromedp.Navigate(e.ts.URL+"/departments/care"),
		chromedp.WaitVisible(`#dept-messages`, chromedp.ByQuery),
		chromedp.Text(`main`, &department, chromedp.ByQuery),
		shot("department"),
		chromedp.Navigate(e.ts.URL+"/messages/overdue-sms"),
		chromedp.WaitVisible(`#approve`, chromedp.ByQuery),
		chromedp.Text(`#override-warning`, &warning, chromedp.ByQuery),
		shot("message-before"),
		// The message has a lint error: approving needs the override and
		// its reason, which the browser asks for before sending.
		chromedp.Click(`#approve`, chromedp.ByQuery),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Text(`#review-state`, &stillInReview, chromedp.ByQuery),
		chromedp.Click(`#override`, chromedp.ByQuery),
		chromedp.SendKeys(`#approve-comment`, "Legal approved the wording", chromedp.ByQuery),
		shot("message-override"),
		chromedp.Click(`#approve`, chromedp.ByQuery),
		chromedp.WaitVisible(`#review-state.approved`, chromedp.ByQuery),
		chromedp.Text(`#review-state`, &messageState, chromedp.ByQuery),
		chromedp.Text(`#history`, &history, chromedp.ByQuery),
		shot("message-approved"),
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.ts.URL+"/"),
		chromedp.WaitVisible(`#overview`, chromedp.ByQuery),
		shot("overview-phone"),
		chromedp.Navigate(e.ts.URL+"/promises/answer-in-2-min"),
		chromedp.WaitVisible(`#chart[data-ready="1"] canvas`, chromedp.ByQuery),
		shot("promise-phone"),
		chromedp.Navigate(e.ts.URL+"/departments/care"),
		chromedp.WaitVisible(`#dept-messages`, chromedp.ByQuery),
		shot("department-phone"),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	checks := []struct {
		what, got string
		want      []string
	}{
		{"overview", overview, []string{"Every promise, worst first", "answer-in-2-min", "fix-fast", "We answer every call within 2 minutes."}},
		{"overview rows", rows, []string{"2"}},
		{"promise page", promise, []string{"Delivered over time", "Customer care", "I waited for ages on hold.", "Every period"}},
		{"chart", chartReady, []string{"1"}},
		{"tiles", tiles, []string{"promise broken", "customer experiences", "hidden", "NPS"}},
		{"monthly overview", monthly, []string{"answer-in-2-min"}},
		{"a range from after to", badRange, []string{"before from"}},
		// The legend shows the latest period's figures, not "--" and "—".
		{"chart legend", legend, []string{"Period", "week of", "delivered", "%", "objective", "for 90%"}},
		{"department page", department, []string{"Its messages", "overdue-sms", "saydo."}},
		{"override warning", warning, []string{"1 error-level finding", "override"}},
		{"before the override", stillInReview, []string{"in review"}},
		{"review state", messageState, []string{"approved"}},
		{"history", history, []string{"user:approver", "approved", "Legal approved the wording"}},
	}
	for _, c := range checks {
		for _, w := range c.want {
			if !strings.Contains(c.got, w) {
				t.Errorf("%s: lacks %q; got:\n%s", c.what, w, c.got)
			}
		}
	}
	t.Logf("screenshots in %s", dir)
}
