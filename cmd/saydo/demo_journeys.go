package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
	"github.com/saydo/saydo/ledger"
)

func init() { demoSections = append(demoSections, demoJourneys) }

// demoJourneys imports the demo's contacts (the complaints and survey
// answers of those customers were imported with the feedback), and prints what saydo journeys finds, with
// how the customers concerned answered afterwards.
func demoJourneys(ctx context.Context, e *env, o options, ws *saydo.Workspace, st saydo.Store) error {
	dir := o.str("dir")
	contacts := filepath.Join(dir, "data", "contacts.csv")
	if _, err := os.Stat(contacts); err != nil {
		return nil
	}
	fmt.Fprintln(e.stdout, "Customer journeys: what departments sent the same customers")
	if err := ingestContacts(ctx, e, o, []string{contacts}); err != nil {
		return fmt.Errorf("contacts not imported: %v", err)
	}
	// Who was hurt (an offer during an open complaint, a threat with no
	// reminder) and when first.
	hurt := map[string]time.Time{}
	var campaign *journey.Conflict // the first Summer Unlimited SMS during a complaint
	rep, err := ledger.Journeys(ctx, st, ws, ledger.JourneyOptions{Examples: -1}, func(c *journey.Conflict) error {
		if c.Rule != saydo.RuleOfferAfterComplaint && c.Rule != saydo.RuleThreatWithoutReminder {
			return nil
		}
		if campaign == nil && c.Rule == saydo.RuleOfferAfterComplaint && c.Message == "summer-upgrade-sms" {
			cp := *c
			campaign = &cp
		}
		if t, ok := hurt[c.Customer]; !ok || c.At.Before(t) {
			hurt[c.Customer] = c.At
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s between departments\n", journeyCounts(rep), counted(rep.Conflicts, "conflict", "conflicts"))
	for _, r := range rep.Rules {
		worst := ""
		if len(r.ByDepartments) > 0 {
			p := r.ByDepartments[0]
			with := "(no reminder before)"
			if p.With != nil {
				with = "→ " + departmentName(ws, *p.With)
			}
			worst = fmt.Sprintf("  mostly %s %s (%s)", departmentName(ws, p.Department), with, thousands(p.Count))
		}
		fmt.Fprintf(e.stdout, "  %-32s %7s conflicts %7s customers%s\n", r.Rule, thousands(r.Conflicts), thousands(r.Customers), worst)
	}
	if campaign != nil {
		day := 24 * time.Hour
		events, err := ledger.CustomerTimeline(ctx, st, journey.New(ws.Journeys), campaign.Customer,
			campaign.At.Add(-10*day).Truncate(day), campaign.At.Add(15*day), departmentNames(ws))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "For example, customer %s:\n", campaign.Customer)
		for _, ev := range events {
			fmt.Fprintf(e.stdout, "    %s\n", ev.Text)
		}
	}
	// Afterwards: NPS of the answers within 120 days of the first hurt,
	// against every other answer; complaints in the 30 days after.
	var hurtNPS, otherNPS npsTally
	var hurtComplaints int64
	customers := map[string]bool{}
	if err := st.ScanContacts(ctx, time.Time{}, time.Time{}, func(c *saydo.Contact) error {
		customers[c.Customer] = true
		return nil
	}); err != nil {
		return err
	}
	var otherComplaints int64
	var first, last time.Time
	err = st.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		if !customers[f.Customer] {
			return nil
		}
		if first.IsZero() {
			first = f.At
		}
		last = f.At
		t, isHurt := hurt[f.Customer]
		after := isHurt && f.At.After(t)
		if !math.IsNaN(f.NPS) {
			if after && f.At.Sub(t) <= 120*24*time.Hour {
				hurtNPS.add(f.NPS)
			} else if !isHurt {
				otherNPS.add(f.NPS)
			}
		}
		if f.Kind == "complaint" {
			switch {
			case after && f.At.Sub(t) <= 30*24*time.Hour:
				hurtComplaints++
			case !isHurt:
				otherComplaints++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	others := int64(len(customers) - len(hurt))
	if len(hurt) > 0 && others > 0 && hurtNPS.n > 0 && otherNPS.n > 0 && last.After(first) {
		months := last.Sub(first).Hours() / 24 / 30
		fmt.Fprintf(e.stdout, "Afterwards, the %s customers an offer reached during an open complaint, or a threat with no reminder:\n", thousands(int64(len(hurt))))
		fmt.Fprintf(e.stdout, "    NPS %+.0f in the next 120 days (%s answers), against %+.0f for the customers spared (%s answers)\n",
			hurtNPS.score(), thousands(hurtNPS.n), otherNPS.score(), thousands(otherNPS.n))
		fmt.Fprintf(e.stdout, "    %.1f complaints per 100 customers in the 30 days after, against %.1f per 100 in any 30 days for the others\n",
			100*float64(hurtComplaints)/float64(len(hurt)), 100*float64(otherComplaints)/float64(others)/months)
	}
	fmt.Fprintln(e.stdout, "  saydo journeys   per rule and department pair, by week, with timelines")
	return nil
}

func departmentNames(ws *saydo.Workspace) map[string]string {
	names := map[string]string{}
	for _, d := range ws.Departments {
		names[d.ID] = d.Name
	}
	return names
}

// npsTally counts promoters (9–10) and detractors (0–6).
type npsTally struct{ n, promoters, detractors int64 }

func (t *npsTally) add(v float64) {
	t.n++
	switch {
	case v >= 9:
		t.promoters++
	case v <= 6:
		t.detractors++
	}
}

func (t *npsTally) score() float64 {
	return 100 * float64(t.promoters-t.detractors) / float64(t.n)
}
