package journey

import (
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func TestTally(t *testing.T) {
	rules := saydo.DefaultJourneyRules()
	tl := NewTally(rules, 2)
	id := func(s string) *string { return &s }
	mon := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // a Monday, ISO week 10
	add := func(rule, cust, dept, withDept string, at time.Time) {
		c := Conflict{Rule: rule, Customer: cust, Contact: id(cust + "-c"), At: at, Department: dept}
		if withDept != "-" {
			c.With = &With{Kind: "complaint", ID: cust + "-k", Department: withDept}
		}
		tl.Add(&c)
	}
	add(saydo.RuleOfferAfterComplaint, "a", "sales", "care", mon)
	add(saydo.RuleOfferAfterComplaint, "a", "sales", "care", mon.Add(time.Hour))
	add(saydo.RuleOfferAfterComplaint, "b", "sales", "care", mon.AddDate(0, 0, 14))
	add(saydo.RuleOfferAfterComplaint, "c", "marketing", "billing", mon.AddDate(0, 0, 14))
	add(saydo.RuleThreatWithoutReminder, "d", "collections", "-", mon.AddDate(0, 0, 7))
	r := tl.Report()
	if r.Conflicts != 5 || r.ByRule[saydo.RuleOfferAfterComplaint] != 4 || r.ByRule[saydo.RuleTooMany] != 0 {
		t.Errorf("counts: total %d, by rule %v", r.Conflicts, r.ByRule)
	}
	if p := r.ByDepartments[0]; p.Department != "sales" || *p.With != "care" || p.Count != 3 || p.Customers != 2 {
		t.Errorf("top pair %+v, want sales→care 3 conflicts, 2 customers", p)
	}
	var threat *DepartmentPair
	for i := range r.ByDepartments {
		if r.ByDepartments[i].Department == "collections" {
			threat = &r.ByDepartments[i]
		}
	}
	if threat == nil || threat.With != nil {
		t.Errorf("a threat's pair has no with: %+v", threat)
	}
	offer := r.Rules[0]
	if offer.Customers != 3 || len(offer.Weeks) != 3 || offer.Weeks[0].Week != "2026-W10" || offer.Weeks[0].Count != 2 ||
		offer.Weeks[1].Count != 0 || offer.Weeks[2].Count != 2 || offer.Weeks[2].Start != "2026-03-16" {
		t.Errorf("offer rule: %+v", offer)
	}
	if threatRule := r.Rules[1]; len(threatRule.Weeks) != 3 || threatRule.Weeks[1].Count != 1 {
		t.Errorf("weeks of every rule span the same weeks: %+v", threatRule.Weeks)
	}
	if len(r.Rules[3].Weeks) != 0 {
		t.Errorf("a rule without conflicts has no weeks: %+v", r.Rules[3].Weeks)
	}
	scores := map[string]DepartmentScore{}
	for _, d := range r.Departments {
		scores[d.Department] = d
	}
	if scores["sales"].Caused != 3 || scores["care"].Suffered != 3 || scores["billing"].Suffered != 1 || scores["collections"].Caused != 1 {
		t.Errorf("departments: %+v", r.Departments)
	}
	ex := tl.ExampleConflicts()
	if len(ex) != 3 || ex[0].Customer != "a" || ex[1].Customer != "b" || ex[2].Customer != "d" {
		t.Errorf("examples: %+v; want a and b (the top pair, distinct customers), then d", ex)
	}
}
