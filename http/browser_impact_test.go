package http

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/saydo/saydo"
)

// TestBrowserImpact opens a promise page with an action and customer
// outcomes in a real headless Chromium: the chart must draw the action's
// mark, and the page must show what the misses cost.
func TestBrowserImpact(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no browser: install Debian's chromium (apt-get install -y chromium) or set SAYDO_CHROMIUM; .ci/run installs it")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	e := impactEnv(t)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(browserProfile(t)), chromedp.WindowSize(1280, 900))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var png []byte
	var marks, text string
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.ts.URL+"/login?next=/promises/answer-in-2-min"),
		chromedp.WaitVisible(`input[name="name"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="name"]`, string(saydo.RoleViewer), chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, e.password, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#chart[data-actions] canvas`, chromedp.ByQuery),
		chromedp.AttributeValue(`#chart`, "data-actions", &marks, nil, chromedp.ByQuery),
		chromedp.Text(`main`, &text, chromedp.ByQuery),
		chromedp.FullScreenshot(&png, 100),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if marks != "1" {
		t.Errorf("the chart drew %q action marks, want 1", marks)
	}
	for _, w := range []string{"What it costs", "Money at stake", "Actions: did the gap change?", "Twelve more agents"} {
		if !strings.Contains(text, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(t), "promise-impact.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
