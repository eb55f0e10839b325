package http

import (
	"strings"
	"testing"

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
		// The request. 0001-01-01 is Go's zero time, which a
		// query reads as "from the first day with data" (2026-01-05 here).
		{"the issue's request", "from=0001-01-01&to=9999-12-31&period=day", "the range 2026-01-05 to 9999-12-31 spans 2912439 days"},
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
