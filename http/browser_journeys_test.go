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

// TestBrowserJourneys opens the journeys page, follows an example to the
// customer's timeline and a department's scorecard in a real headless
// Chromium, checking what each shows and saving screenshots.
func TestBrowserJourneys(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no browser: install Debian's chromium (apt-get install -y chromium) or set SAYDO_CHROMIUM; .ci/run installs it")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	e := newTestEnv(t, nil)
	withJourneys(t, e)
	profile, err := os.MkdirTemp("", "saydo-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(profile) // Chromium may still be writing its cache: best effort
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
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
	)
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
	var journeys, customer, department string
	err = chromedp.Run(ctx,
		chromedp.Navigate(e.ts.URL+"/journeys"),
		chromedp.WaitVisible(`input[name="name"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="name"]`, string(saydo.RoleViewer), chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, e.password, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.rules`, chromedp.ByQuery),
		chromedp.Text(`main`, &journeys, chromedp.ByQuery),
		shot("journeys"),
		chromedp.Click(`section.timeline h3 a[href="/customers/ana"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`li.broke`, chromedp.ByQuery),
		chromedp.Text(`main`, &customer, chromedp.ByQuery),
		shot("customer"),
		chromedp.Navigate(e.ts.URL+"/departments/marketing"),
		chromedp.WaitVisible(`table.pairs`, chromedp.ByQuery),
		chromedp.Text(`main`, &department, chromedp.ByQuery),
		shot("department-journeys"),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	for _, c := range []struct {
		what, got string
		want      []string
	}{
		{"journeys page", journeys, []string{"3 contacts to 2 customers", "journey.OfferAfterComplaint", "Marketing", "Customer care", "22 Mar 2026 Marketing: offer by SMS"}},
		{"customer page", customer, []string{"Customer ana", "12 Mar 2026 complaint about Customer care", "OfferAfterComplaint"}},
		{"department page", department, []string{"Customer journeys", "1 conflicts caused"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.got, w) {
				t.Errorf("%s: lacks %q; got:\n%s", c.what, w, c.got)
			}
		}
	}
}
