package http

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
)

// withJourneys imports a small contact log and two complaints: ana
// complained on 12 Mar and got an offer on 22 Mar; bob got a warning with
// no reminder on 1 Apr.
func withJourneys(t *testing.T, e *testEnv) {
	t.Helper()
	ctx := context.Background()
	ws := testWorkspace()
	rr, err := csv.NewReader(strings.NewReader(`id,customer,at,department,channel,intent
c1,ana,2026-03-02T09:00:00Z,care,email,service
o1,ana,2026-03-22T10:00:00Z,marketing,sms,offer
w1,bob,2026-04-01T08:00:00Z,care,letter,warning
`))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ledger.IngestContacts(ctx, e.st, ws, nil, rr, ledger.IngestOptions{}); err != nil || res.Accepted != 3 {
		t.Fatalf("IngestContacts = %+v, %v", res, err)
	}
	tx, err := e.st.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at, _ := saydo.ParseTime("2026-03-12T00:00:00Z", "")
	if _, _, err := tx.Insert([]saydo.Feedback{{Key: 1, SourceID: "k1", Customer: "ana", Kind: "complaint", At: at, Text: "wrong bill",
		Attrs: saydo.Attrs{{Name: "department", Value: "care"}}}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestJourneysCheck(t *testing.T) {
	e := newTestEnv(t, nil)
	withJourneys(t, e)
	e.mu.Lock()
	e.messages = append(e.messages, saydo.Message{ID: "offer-sms", Channel: "sms", Department: "marketing", Intent: saydo.IntentOffer, Body: "Hi, upgrade now."})
	e.mu.Unlock()
	tests := []struct {
		name, body string
		code       int
		allowed    bool
		rules      []string
	}{
		{"offer during ana's open complaint", `{"customer":"ana","intent":"offer","department":"marketing","channel":"sms","at":"2026-03-25T10:00:00Z"}`,
			200, false, []string{"journey.OfferAfterComplaint"}},
		{"service to ana is fine", `{"customer":"ana","intent":"service","department":"care","channel":"email","at":"2026-03-25T10:00:00+02:00"}`, 200, true, nil},
		{"offer after the complaint closed", `{"customer":"ana","intent":"offer","department":"marketing","channel":"sms","at":"2026-04-11T00:00:00Z"}`, 200, true, nil},
		{"warning without a reminder", `{"customer":"bob","intent":"warning","department":"care","at":"2026-04-20T00:00:00Z"}`,
			200, false, []string{"journey.ThreatWithoutReminder"}},
		{"unknown customer, offer", `{"customer":"zed","intent":"offer","at":"2026-04-20T00:00:00Z"}`, 200, true, nil},
		{"a catalogue message fills intent and department", `{"customer":"ana","message":"offer-sms","at":"2026-03-25T10:00:00Z"}`,
			200, false, []string{"journey.OfferAfterComplaint"}},
		{"unknown message", `{"customer":"ana","message":"nope"}`, 400, false, nil},
		{"missing customer", `{"intent":"offer"}`, 400, false, nil},
		{"unknown intent", `{"customer":"ana","intent":"upsell"}`, 400, false, nil},
		{"unknown department", `{"customer":"ana","intent":"offer","department":"sales"}`, 400, false, nil},
		{"bad time", `{"customer":"ana","intent":"offer","at":"22/03/2026"}`, 400, false, nil},
		{"unknown field", `{"customer":"ana","intent":"offer","when":"now"}`, 400, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := e.do(saydo.RoleViewer, "POST", "/api/v1/journeys/check", tt.body)
			if code != tt.code {
				t.Fatalf("status %d, want %d: %s", code, tt.code, body)
			}
			if code != 200 {
				return
			}
			var got struct {
				Allowed   bool `json:"allowed"`
				Conflicts []struct {
					Rule    string  `json:"rule"`
					Contact *string `json:"contact"`
					With    *struct {
						ID string `json:"id"`
					} `json:"with"`
				} `json:"conflicts"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, c := range got.Conflicts {
				rules = append(rules, c.Rule)
				if c.Contact != nil {
					t.Errorf("conflict %s: contact = %q, want null (not sent yet)", c.Rule, *c.Contact)
				}
				if c.Rule == saydo.RuleOfferAfterComplaint && (c.With == nil || c.With.ID != "k1") {
					t.Errorf("OfferAfterComplaint with = %+v, want complaint k1", c.With)
				}
			}
			if got.Allowed != tt.allowed || strings.Join(rules, ",") != strings.Join(tt.rules, ",") {
				t.Errorf("allowed %v, rules %v; want %v, %v\n%s", got.Allowed, rules, tt.allowed, tt.rules, body)
			}
			if !strings.Contains(body, `"conflicts": [`) {
				t.Errorf("conflicts must be a list, even empty: %s", body)
			}
		})
	}
}

func TestJourneysReportAndPages(t *testing.T) {
	e := newTestEnv(t, nil)
	withJourneys(t, e)
	code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/journeys", "")
	if code != 200 {
		t.Fatalf("GET /api/v1/journeys: %d %s", code, body)
	}
	var rep struct {
		Customers, Contacts int64
		ByRule              map[string]int64 `json:"by_rule"`
		Conflicts           []json.RawMessage
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 2 || rep.Contacts != 3 || rep.ByRule[saydo.RuleOfferAfterComplaint] != 1 || rep.ByRule[saydo.RuleThreatWithoutReminder] != 1 || len(rep.Conflicts) != 2 {
		t.Errorf("report: %+v", rep)
	}
	if code, body := e.do(saydo.RoleViewer, "GET", "/api/v1/journeys?since=2026", ""); code != 400 {
		t.Errorf("unknown parameter: %d %s", code, body)
	}
	code, body = e.do(saydo.RoleViewer, "GET", "/api/v1/customers/ana/timeline", "")
	if code != 200 || !strings.Contains(body, `"journey.OfferAfterComplaint"`) || strings.Index(body, `"c1"`) > strings.Index(body, `"k1"`) {
		t.Errorf("timeline of ana: %d %s", code, body)
	}
	client, _ := e.login(saydo.RoleViewer)
	for path, want := range map[string]string{
		"/journeys":          "Marketing",
		"/customers/ana":     "OfferAfterComplaint",
		"/departments/care":  "conflicts caused",
		"/customers/nobody":  "No contacts",
		"/journeys?from=bad": "from: want YYYY-MM-DD",
	} {
		resp, err := client.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		if !strings.Contains(b.String(), want) {
			t.Errorf("GET %s (%d): no %q in the page", path, resp.StatusCode, want)
		}
	}
}

// BenchmarkJourneysCheck measures one check through the whole handler
// (auth, decoding, two indexed reads, the rules), 20,000 customers with a
// year of contacts each.
func BenchmarkJourneysCheck(b *testing.B) {
	e := newTestEnv(b, nil)
	ctx := context.Background()
	ws := testWorkspace()
	var src strings.Builder
	src.WriteString("customer,at,department,channel,intent\n")
	for d := range 365 {
		for c := range 20000 {
			if (c+d)%20 == 0 {
				fmt.Fprintf(&src, "cust-%d,%s,care,sms,service\n", c, time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format(time.RFC3339))
			}
		}
	}
	rr, _ := csv.NewReader(strings.NewReader(src.String()))
	if _, err := ledger.IngestContacts(ctx, e.st, ws, nil, rr, ledger.IngestOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"customer":"cust-%d","intent":"offer","department":"marketing","at":"2026-06-15T10:00:00Z"}`, i%20000)
		if code, out := e.do(saydo.RoleViewer, "POST", "/api/v1/journeys/check", body); code != 200 {
			b.Fatal(code, out)
		}
	}
}
