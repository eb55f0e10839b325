package yaml

import (
	"reflect"
	"testing"

	"github.com/saydo/saydo"
)

func TestJourneys(t *testing.T) {
	src := `company: Nordtel
departments:
  - {id: billing, name: Billing}
  - {id: collections, name: Collections}
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    owner: billing
    metric: call_wait_seconds
    objective: {at_most: 120, share: 0.95}
journeys:
  complaint_open_days: 21
  rules:
    - id: journey.TooMany
      max_contacts: 4
      when: {channel: [sms, push]}
    - id: journey.SurveyDuringComplaint
      off: true
    - id: journey.ThreatWithoutReminder
      reminder_window_days: 20
    - id: no-collections-after-billing-complaint
      kind: during_complaint
      when: {department: collections}
      complaint: {department: billing}
      open_days: 10
`
	ws, err := ParseWorkspace("saydo.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	j := ws.Journeys
	if j.ComplaintOpenDays != 21 {
		t.Errorf("ComplaintOpenDays = %d, want 21", j.ComplaintOpenDays)
	}
	byID := map[string]saydo.JourneyRule{}
	for _, r := range j.Rules {
		r.Pos = saydo.Pos{}
		byID[r.ID] = r
	}
	want := map[string]saydo.JourneyRule{
		saydo.RuleOfferAfterComplaint: {ID: saydo.RuleOfferAfterComplaint, Kind: saydo.DuringComplaint, When: saydo.ContactScope{Intents: []saydo.Intent{"offer"}}},
		saydo.RuleThreatWithoutReminder: {ID: saydo.RuleThreatWithoutReminder, Kind: saydo.WithoutPrior, When: saydo.ContactScope{Intents: []saydo.Intent{"warning"}},
			Prior: saydo.ContactScope{Intents: []saydo.Intent{"reminder"}}, WindowDays: 20, LeadDays: 3},
		saydo.RuleSurveyDuringComplaint: {ID: saydo.RuleSurveyDuringComplaint, Kind: saydo.DuringComplaint, Off: true, When: saydo.ContactScope{Intents: []saydo.Intent{"survey"}}},
		saydo.RuleTooMany:               {ID: saydo.RuleTooMany, Kind: saydo.TooMany, MaxContacts: 4, WindowDays: 7, When: saydo.ContactScope{Channels: []string{"sms", "push"}}},
		"no-collections-after-billing-complaint": {ID: "no-collections-after-billing-complaint", Kind: saydo.DuringComplaint,
			When: saydo.ContactScope{Departments: []string{"collections"}}, Complaint: saydo.ComplaintScope{Departments: []string{"billing"}}, OpenDays: 10},
	}
	if !reflect.DeepEqual(byID, want) {
		t.Errorf("rules:\n got  %+v\n want %+v", byID, want)
	}
	if j.Rules[len(j.Rules)-1].ID != "no-collections-after-billing-complaint" {
		t.Errorf("the workspace's own rule should come after the built-in ones")
	}
}

func TestJourneysDefault(t *testing.T) {
	ws, err := LoadWorkspace("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ws.Journeys, saydo.DefaultJourneys()) {
		t.Errorf("a workspace without journeys: got %+v, want the defaults", ws.Journeys)
	}
}
