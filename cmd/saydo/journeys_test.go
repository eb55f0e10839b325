package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A small contact log with planted conflicts, worked out by hand:
//
//	ana: complaint k1 on 12 Mar (billing), offer o1 on 22 Mar  -> OfferAfterComplaint o1 with k1
//	     resolution r1 on 25 Mar, offer o2 on 26 Mar           -> nothing (resolved)
//	bob: warning w1 on 1 Apr, no reminder                      -> ThreatWithoutReminder w1
//	     reminder m2 on 20 Apr, warning w2 on 30 Apr           -> nothing (10 days before)
//	cid: complaint k2 on 2 May 08:00 (+02:00 = 06:00Z), survey s1 at 06:30Z -> SurveyDuringComplaint s1 with k2
//	dan: six contacts 1–6 Jun                                  -> TooMany d6 with d1
//	eve: offer e1 exactly 30 days after complaint k3           -> nothing (closed)
const journeyContacts = `id,customer,at,department,channel,intent
o1,ana,2026-03-22T10:00:00Z,marketing,sms,offer
r1,ana,2026-03-25T09:00:00Z,care,email,resolution
o2,ana,2026-03-26T09:00:00Z,marketing,sms,offer
w1,bob,2026-04-01T08:00:00Z,collections,letter,warning
m2,bob,2026-04-20T08:00:00Z,collections,email,reminder
w2,bob,2026-04-30T08:00:00Z,collections,sms,warning
s1,cid,2026-05-02T06:30:00Z,marketing,email,survey
d1,dan,2026-06-01T09:00:00Z,billing,email,service
d2,dan,2026-06-02T09:00:00Z,care,push,service
d3,dan,2026-06-03T09:00:00Z,marketing,email,survey
d4,dan,2026-06-04T09:00:00Z,marketing,sms,offer
d5,dan,2026-06-05T09:00:00Z,care,sms,service
d6,dan,2026-06-06T09:00:00Z,billing,sms,reminder
e1,eve,2026-07-31T10:00:00Z,marketing,sms,offer
`

const journeyFeedback = `id,at,customer,kind,text,department
k1,2026-03-12T00:00:00Z,ana,complaint,My bill is wrong,billing
k2,2026-05-02T08:00:00+02:00,cid,complaint,Internet down for days,care
k3,2026-07-01T10:00:00Z,eve,complaint,Nobody answers,care
`

const journeyWorkspaceYAML = `company: Testco
departments:
  - {id: marketing, name: Marketing}
  - {id: care, name: Customer care}
  - {id: collections, name: Collections}
  - {id: billing, name: Billing}
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    owner: marketing
    delivered_by: [care]
    metric: call_wait_seconds
    objective: {at_most: 120, share: 0.9}
`

func TestJourneysCommand(t *testing.T) {
	dir := newWorkspace(t, journeyWorkspaceYAML)
	contacts := writeFile(t, dir, "contacts.csv", journeyContacts)
	feedback := writeFile(t, dir, "feedback.csv", journeyFeedback)
	if out, errs, code := runSaydo(t, "", "ingest", "feedback", feedback, "--workspace", dir); code != 0 {
		t.Fatalf("ingest feedback: %d %s %s", code, out, errs)
	}
	out, errs, code := runSaydo(t, "", "ingest", "contacts", contacts, "--workspace", dir)
	if code != 0 || !strings.Contains(out, "14 read = 14 accepted + 0 rejected + 0 duplicates") {
		t.Fatalf("ingest contacts: %d %s %s", code, out, errs)
	}
	out, _, _ = runSaydo(t, "", "ingest", "contacts", contacts, "--workspace", dir)
	if !strings.Contains(out, "14 read = 0 accepted + 0 rejected + 14 duplicates") {
		t.Errorf("second import: %s", out)
	}
	out, errs, code = runSaydo(t, "", "journeys", "--format", "json", "--workspace", dir)
	if code != 0 {
		t.Fatalf("journeys: %d %s", code, errs)
	}
	var rep struct {
		Customers int `json:"customers"`
		Contacts  int `json:"contacts"`
		Conflicts []struct {
			Rule, Customer, Department string
			Contact                    *string
			With                       *struct{ Kind, ID, Department string }
		} `json:"conflicts"`
		ByRule        map[string]int `json:"by_rule"`
		ByDepartments []struct {
			Department string  `json:"department"`
			With       *string `json:"with"`
			Count      int     `json:"count"`
		} `json:"by_departments"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var got []string
	for _, c := range rep.Conflicts {
		with := "null"
		if c.With != nil {
			with = c.With.Kind + ":" + c.With.ID
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", c.Rule, c.Customer, *c.Contact, with))
	}
	slices.Sort(got)
	want := []string{
		"journey.OfferAfterComplaint ana o1 complaint:k1",
		"journey.SurveyDuringComplaint cid s1 complaint:k2",
		"journey.ThreatWithoutReminder bob w1 null",
		"journey.TooMany dan d6 contact:d1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("conflicts:\n got  %q\n want %q", got, want)
	}
	if rep.Customers != 5 || rep.Contacts != 14 || rep.ByRule["journey.OfferAfterComplaint"] != 1 || len(rep.ByRule) != 4 {
		t.Errorf("customers %d contacts %d by_rule %v", rep.Customers, rep.Contacts, rep.ByRule)
	}
	pairs := map[string]int{}
	for _, p := range rep.ByDepartments {
		w := "null"
		if p.With != nil {
			w = *p.With
		}
		pairs[p.Department+">"+w] = p.Count
	}
	if pairs["marketing>billing"] != 1 || pairs["collections>null"] != 1 || pairs["marketing>care"] != 1 || pairs["billing>billing"] != 1 {
		t.Errorf("by_departments: %v", pairs)
	}

	// --from/--to bound the contacts judged; history before still counts.
	out, _, _ = runSaydo(t, "", "journeys", "--format", "json", "--from", "2026-03-20", "--to", "2026-03-31", "--workspace", dir)
	if !strings.Contains(out, `"contact":"o1"`) || strings.Contains(out, `"w1"`) || !strings.Contains(out, `"contacts": 3`) {
		t.Errorf("--from 2026-03-20 --to 2026-03-31:\n%s", out)
	}
	out, _, code = runSaydo(t, "", "journeys", "--workspace", dir)
	if code != 0 {
		t.Errorf("saydo journeys: exit %d", code)
	}
	for _, w := range []string{"14 contacts to 5 customers, 3 complaints: 4 conflicts", "journey.OfferAfterComplaint", "Marketing → Billing",
		"12 Mar 2026 complaint about Billing", "22 Mar 2026 Marketing: offer by SMS  ← OfferAfterComplaint"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	out, _, _ = runSaydo(t, "", "journeys", "--format", "markdown", "--workspace", dir)
	if !strings.HasPrefix(out, "# Customer journeys") || !strings.Contains(out, "| `journey.TooMany`") {
		t.Errorf("markdown:\n%s", out)
	}
	for _, args := range [][]string{
		{"journeys", "--format", "xml"},
		{"journeys", "--from", "2026-04-01", "--to", "2026-03-01"},
		{"journeys", "--from", "March"},
		{"journeys", "extra"},
	} {
		if _, errs, code := runSaydo(t, "", append(args, "--workspace", dir)...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a reason", args, code, errs)
		}
	}
}
