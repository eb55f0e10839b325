package journey

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// The timelines below are written by hand; the conflicts each one must
// produce were worked out from the SPEC's wording, on paper, before the
// engine existed: a reader can check every one against the calendar.
//
// An event is "TIME customer what": what is "complaint ID [dept]" or
// "contact ID dept intent [channel]". TIME is RFC 3339 or YYYY-MM-DD, or
// YYYY-MM-DDTHH:MM (UTC).

func parseTime(t *testing.T, s string) time.Time {
	t.Helper()
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", time.DateOnly} {
		if at, err := time.Parse(layout, s); err == nil {
			return at.UTC()
		}
	}
	t.Fatalf("bad time %q", s)
	return time.Time{}
}

func timeline(t *testing.T, events []string) ([]saydo.Contact, []saydo.Complaint) {
	t.Helper()
	var cs []saydo.Contact
	var ks []saydo.Complaint
	for i, e := range events {
		f := strings.Fields(e)
		if len(f) < 4 {
			t.Fatalf("event %q: too few fields", e)
		}
		at, cust := parseTime(t, f[0]), f[1]
		switch f[2] {
		case "complaint":
			k := saydo.Complaint{ID: f[3], Customer: cust, At: at}
			if len(f) > 4 {
				k.Department = f[4]
			}
			ks = append(ks, k)
		case "contact":
			if len(f) < 6 {
				t.Fatalf("event %q: want contact ID dept intent", e)
			}
			c := saydo.Contact{Key: uint64(i + 1), SourceID: f[3], Customer: cust, At: at, Department: f[4], Intent: saydo.Intent(f[5]), Channel: "sms"}
			if len(f) > 6 {
				c.Channel = f[6]
			}
			cs = append(cs, c)
		default:
			t.Fatalf("event %q: want complaint or contact", e)
		}
	}
	return cs, ks
}

// conflictString is "rule contact customer with" with "-" for no with.
func conflictString(c Conflict) string {
	with := "-"
	if c.With != nil {
		with = c.With.ID
	}
	contact := "?"
	if c.Contact != nil {
		contact = *c.Contact
	}
	return fmt.Sprintf("%s %s %s %s", strings.TrimPrefix(c.Rule, "journey."), contact, c.Customer, with)
}

func TestRules(t *testing.T) {
	withRules := func(edit func(j *saydo.Journeys)) saydo.Journeys {
		j := saydo.DefaultJourneys()
		edit(&j)
		return j
	}
	rule := func(j *saydo.Journeys, id string) *saydo.JourneyRule {
		for i := range j.Rules {
			if j.Rules[i].ID == id {
				return &j.Rules[i]
			}
		}
		panic(id)
	}
	tests := []struct {
		name   string
		config saydo.Journeys
		events []string
		want   []string
	}{
		{
			name: "offer while a complaint is open",
			events: []string{
				"2026-03-12 ana complaint k1",
				"2026-03-22T10:00 ana contact o1 sales offer",
			},
			want: []string{"OfferAfterComplaint o1 ana k1"},
		},
		{
			name: "offer after the resolution",
			events: []string{
				"2026-03-12 ana complaint k1",
				"2026-03-15 ana contact r1 care resolution",
				"2026-03-22 ana contact o1 sales offer",
			},
		},
		{
			name: "a resolution before the complaint does not close it",
			events: []string{
				"2026-03-10 ana contact r1 care resolution",
				"2026-03-12 ana complaint k1",
				"2026-03-22 ana contact o1 sales offer",
			},
			want: []string{"OfferAfterComplaint o1 ana k1"},
		},
		{
			name: "open for 30 days: the last second counts, the 30th day does not",
			events: []string{
				"2026-03-01T00:00:00Z ana complaint k1",
				"2026-03-30T23:59:59Z ana contact o1 sales offer",
				"2026-03-31T00:00:00Z ana contact o2 sales offer",
			},
			want: []string{"OfferAfterComplaint o1 ana k1"},
		},
		{
			name: "an offer at the instant of the complaint is during it",
			events: []string{
				"2026-03-12T09:00 ana contact o1 sales offer",
				"2026-03-12T09:00 ana complaint k1",
			},
			want: []string{"OfferAfterComplaint o1 ana k1"},
		},
		{
			name: "a resolution at the same instant closes it, whatever the order",
			events: []string{
				"2026-03-12 ana complaint k1",
				"2026-03-20T12:00 ana contact o1 sales offer",
				"2026-03-20T12:00 ana contact r1 care resolution",
			},
		},
		{
			name: "several open complaints: one conflict, with the oldest",
			events: []string{
				"2026-03-01 ana complaint k1",
				"2026-03-05 ana complaint k2",
				"2026-03-10 ana contact o1 sales offer",
				"2026-04-02 ana contact o2 sales offer", // k1 closed on 31 Mar, k2 open until 4 Apr
			},
			want: []string{"OfferAfterComplaint o1 ana k1", "OfferAfterComplaint o2 ana k2"},
		},
		{
			name: "one resolution closes every complaint open before it",
			events: []string{
				"2026-03-01 ana complaint k1",
				"2026-03-05 ana complaint k2",
				"2026-03-06 ana contact r1 care resolution",
				"2026-03-07 ana complaint k3",
				"2026-03-10 ana contact o1 sales offer",
			},
			want: []string{"OfferAfterComplaint o1 ana k3"},
		},
		{
			name: "survey during a complaint",
			events: []string{
				"2026-03-12 ana complaint k1",
				"2026-03-13 ana contact s1 marketing survey email",
				"2026-03-13 bob contact s2 marketing survey email",
			},
			want: []string{"SurveyDuringComplaint s1 ana k1"},
		},
		{
			name: "complaints of another customer do not count",
			events: []string{
				"2026-03-12 bob complaint k1",
				"2026-03-13 ana contact o1 sales offer",
			},
		},
		{
			name: "warning without any reminder",
			events: []string{
				"2026-05-01 ana contact w1 collections warning letter",
			},
			want: []string{"ThreatWithoutReminder w1 ana -"},
		},
		{
			name: "warning after a reminder 10 days before",
			events: []string{
				"2026-04-21 ana contact m1 collections reminder",
				"2026-05-01 ana contact w1 collections warning",
			},
		},
		{
			name: "a reminder from another department counts",
			events: []string{
				"2026-04-21 ana contact m1 billing reminder",
				"2026-05-01 ana contact w1 collections warning",
			},
		},
		{
			name: "reminder too late: 2 days before",
			events: []string{
				"2026-04-29 ana contact m1 collections reminder",
				"2026-05-01 ana contact w1 collections warning",
			},
			want: []string{"ThreatWithoutReminder w1 ana -"},
		},
		{
			name: "reminder window ends: exactly 3 and exactly 30 days before count",
			events: []string{
				"2026-04-28T08:00 ana contact m1 collections reminder",
				"2026-05-01T08:00 ana contact w1 collections warning",
				"2026-04-01T08:00 bob contact m2 collections reminder",
				"2026-05-01T08:00 bob contact w2 collections warning",
			},
		},
		{
			name: "reminder a second too early or too late",
			events: []string{
				"2026-04-28T08:00:01Z ana contact m1 collections reminder",
				"2026-05-01T08:00:00Z ana contact w1 collections warning",
				"2026-04-01T07:59:59Z bob contact m2 collections reminder",
				"2026-05-01T08:00:00Z bob contact w2 collections warning",
			},
			want: []string{"ThreatWithoutReminder w1 ana -", "ThreatWithoutReminder w2 bob -"},
		},
		{
			name: "time zones: the same instants written with offsets",
			events: []string{
				"2026-04-28T10:00:00+02:00 ana contact m1 collections reminder", // 08:00Z
				"2026-05-01T03:00:00-05:00 ana contact w1 collections warning",  // 08:00Z: exactly 3 days
				"2026-03-12T01:00:00+02:00 bob contact o1 sales offer",          // 11 Mar 23:00Z
				"2026-03-11T23:30:00Z bob complaint k1",
			},
		},
		{
			name: "six contacts in a week: the sixth is too many",
			events: []string{
				"2026-06-01T09:00 ana contact a1 sales offer",
				"2026-06-02T09:00 ana contact a2 care service",
				"2026-06-03T09:00 ana contact a3 billing reminder",
				"2026-06-04T09:00 ana contact a4 marketing survey",
				"2026-06-05T09:00 ana contact a5 sales offer",
				"2026-06-07T09:00 ana contact a6 care service",
			},
			want: []string{"TooMany a6 ana a1"},
		},
		{
			name: "six contacts over exactly seven days: the first has left the window",
			events: []string{
				"2026-06-01T09:00 ana contact a1 sales service",
				"2026-06-02T09:00 ana contact a2 care service",
				"2026-06-03T09:00 ana contact a3 billing service",
				"2026-06-04T09:00 ana contact a4 marketing service",
				"2026-06-05T09:00 ana contact a5 sales service",
				"2026-06-08T09:00 ana contact a6 care service",
			},
		},
		{
			name: "eight contacts in a week: three too many",
			events: []string{
				"2026-06-01 ana contact a1 care service",
				"2026-06-01 ana contact a2 care service",
				"2026-06-02 ana contact a3 care service",
				"2026-06-02 ana contact a4 care service",
				"2026-06-03 ana contact a5 care service",
				"2026-06-03 ana contact a6 care service",
				"2026-06-04 ana contact a7 care service",
				"2026-06-08 ana contact a8 billing service", // window (1 Jun, 8 Jun]: a3..a8 = 6
			},
			want: []string{"TooMany a6 ana a1", "TooMany a7 ana a1", "TooMany a8 ana a3"},
		},
		{
			name: "unsorted input is judged in time order",
			events: []string{
				"2026-03-22 ana contact o1 sales offer",
				"2026-03-15 ana contact r1 care resolution",
				"2026-03-12 ana complaint k1",
				"2026-03-14 ana contact o0 sales offer",
			},
			want: []string{"OfferAfterComplaint o0 ana k1"},
		},
		{
			name:   "a rule turned off",
			config: withRules(func(j *saydo.Journeys) { rule(j, saydo.RuleOfferAfterComplaint).Off = true }),
			events: []string{
				"2026-03-12 ana complaint k1",
				"2026-03-13 ana contact o1 sales offer",
				"2026-03-13 ana contact s1 marketing survey",
			},
			want: []string{"SurveyDuringComplaint s1 ana k1"},
		},
		{
			name:   "complaint_open_days 10",
			config: withRules(func(j *saydo.Journeys) { j.ComplaintOpenDays = 10 }),
			events: []string{
				"2026-03-01 ana complaint k1",
				"2026-03-10T23:00 ana contact o1 sales offer",
				"2026-03-11 ana contact o2 sales offer",
			},
			want: []string{"OfferAfterComplaint o1 ana k1"},
		},
		{
			name: "TooMany tuned: at most 2 offers in 30 days",
			config: withRules(func(j *saydo.Journeys) {
				r := rule(j, saydo.RuleTooMany)
				r.MaxContacts, r.WindowDays, r.When.Intents = 2, 30, []saydo.Intent{saydo.IntentOffer}
			}),
			events: []string{
				"2026-06-01 ana contact a1 sales offer",
				"2026-06-02 ana contact a2 care service",
				"2026-06-10 ana contact a3 sales offer",
				"2026-06-20 ana contact a4 marketing offer",
			},
			want: []string{"TooMany a4 ana a1"},
		},
		{
			name: "user rule: no collections contact within 10 days of a billing complaint",
			config: withRules(func(j *saydo.Journeys) {
				j.Rules = append(j.Rules, saydo.JourneyRule{ID: "no-collections-after-billing-complaint", Kind: saydo.DuringComplaint,
					When: saydo.ContactScope{Departments: []string{"collections"}}, Complaint: saydo.ComplaintScope{Departments: []string{"billing"}}, OpenDays: 10})
			}),
			events: []string{
				"2026-03-01 ana complaint k1 billing",
				"2026-03-05 ana contact m1 collections reminder",
				"2026-03-12 ana contact m2 collections reminder",
				"2026-03-01 bob complaint k2 care",
				"2026-03-05 bob contact m3 collections reminder",
			},
			want: []string{"no-collections-after-billing-complaint m1 ana k1"},
		},
		{
			name: "user rule: no warning without a service call first, within 14 days, by channel",
			config: withRules(func(j *saydo.Journeys) {
				j.Rules = append(j.Rules, saydo.JourneyRule{ID: "call-before-sms-warning", Kind: saydo.WithoutPrior,
					When:  saydo.ContactScope{Intents: []saydo.Intent{saydo.IntentWarning}, Channels: []string{"sms"}},
					Prior: saydo.ContactScope{Channels: []string{"voice"}}, WindowDays: 14, LeadDays: 0})
			}),
			events: []string{
				"2026-04-20 ana contact m1 collections reminder email",
				"2026-05-01 ana contact w1 collections warning sms",
				"2026-04-20 bob contact m2 collections reminder voice",
				"2026-05-01 bob contact w2 collections warning sms",
				"2026-04-20 cid contact m3 collections reminder email",
				"2026-05-01 cid contact w3 collections warning letter",
			},
			want: []string{"call-before-sms-warning w1 ana -"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contacts, complaints := timeline(t, tt.events)
			e := New(tt.config)
			var got []string
			for _, c := range e.Judge(contacts, complaints) {
				got = append(got, conflictString(c))
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("conflicts:\n got  %q\n want %q", got, want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	contacts, complaints := timeline(t, []string{
		"2026-03-01 ana complaint k1",
		"2026-03-02 ana contact c1 care service",
		"2026-03-03 ana contact c2 care service",
		"2026-03-04 ana contact c3 care service",
		"2026-03-05 ana contact c4 care service",
		"2026-03-06T10:00 ana contact c5 care service",
	})
	e := New(saydo.Journeys{})
	at := parseTime(t, "2026-03-06T10:00")
	tests := []struct {
		name     string
		proposed saydo.Contact
		history  []saydo.Contact
		want     []string
	}{
		{"offer: complaint open and a sixth contact", saydo.Contact{At: at, Department: "sales", Intent: saydo.IntentOffer}, contacts,
			[]string{"OfferAfterComplaint ? ana k1", "TooMany ? ana c1"}},
		{"service: only the sixth contact", saydo.Contact{At: at, Department: "care", Intent: saydo.IntentService}, contacts,
			[]string{"TooMany ? ana c1"}},
		{"warning with no history", saydo.Contact{At: at, Department: "collections", Intent: saydo.IntentWarning}, nil,
			[]string{"ThreatWithoutReminder ? ana -"}},
		{"survey after the complaint closed", saydo.Contact{At: parseTime(t, "2026-04-01"), Intent: saydo.IntentSurvey}, contacts, nil},
		{"history in any order, later contacts ignored", saydo.Contact{At: parseTime(t, "2026-03-02T12:00"), Intent: saydo.IntentService},
			append([]saydo.Contact{contacts[4], contacts[0]}, contacts[1:4]...), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range e.Check("ana", tt.history, complaints, tt.proposed) {
				got = append(got, conflictString(c))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestTimelineOutOfOrder(t *testing.T) {
	e := New(saydo.Journeys{})
	tl := e.NewTimeline("ana", nil)
	noop := func(*Conflict) {}
	if err := tl.Add(&saydo.Contact{At: parseTime(t, "2026-03-02")}, noop); err != nil {
		t.Fatal(err)
	}
	if err := tl.Add(&saydo.Contact{At: parseTime(t, "2026-03-01")}, noop); err != ErrOutOfOrder {
		t.Errorf("Add earlier contact: got %v, want ErrOutOfOrder", err)
	}
}

// TestBusyCustomer: a test account that got 2,000 contacts a minute apart
// (33 hours): every contact after the fifth is too many, all with the
// first, and the count stops early instead of rereading the window.
func TestBusyCustomer(t *testing.T) {
	start := parseTime(t, "2026-06-01T00:00")
	var cs []saydo.Contact
	for i := range 2000 {
		cs = append(cs, saydo.Contact{Key: uint64(i + 1), SourceID: fmt.Sprint("b", i+1), Customer: "qa", At: start.Add(time.Duration(i) * time.Minute), Department: "care", Channel: "sms", Intent: saydo.IntentService})
	}
	got := New(saydo.Journeys{}).Judge(cs, nil)
	if len(got) != 1995 {
		t.Fatalf("%d conflicts, want 1995", len(got))
	}
	for _, c := range got {
		if c.Rule != saydo.RuleTooMany || c.With == nil || c.With.ID != "b1" {
			t.Fatalf("conflict %s", conflictString(c))
		}
	}
}
