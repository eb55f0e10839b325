package lint

import (
	"fmt"
	"slices"

	"github.com/saydo/saydo"
)

// The journey checks look at the catalogue as a whole, the way a customer
// meets it: one message after another from the same company.
//
//   - saydo.ReminderFirst: a message with intent warning (a consequence:
//     credit bureau, suspension, legal action) when its department's
//     catalogue has no message with intent reminder. The journey rule
//     journey.ThreatWithoutReminder then fires on every customer who gets
//     it, since no reminder can precede it.
//   - saydo.SuppressAfterComplaint: a message with intent offer whose front
//     matter does not say suppress: [complaint]; nothing says the campaign
//     skips customers with an open complaint (journey.OfferAfterComplaint).

// catalogueFindings adds the journey checks' findings of ms to out (index
// by index), looking for reminders in catalogue (nil: ms itself).
func (l *Linter) catalogueFindings(ms []saydo.Message, catalogue []saydo.Message, out [][]saydo.Finding) {
	if l.pack == nil {
		return
	}
	reminder, suppress := l.pack[saydo.RuleReminderFirst], l.pack[saydo.RuleSuppressAfterComplaint]
	if reminder == nil && suppress == nil {
		return
	}
	if catalogue == nil {
		catalogue = ms
	}
	hasReminder := map[string]bool{}
	for i := range catalogue {
		if catalogue[i].Intent == saydo.IntentReminder {
			hasReminder[catalogue[i].Department] = true
		}
	}
	for i := range ms {
		m := &ms[i]
		var add []saydo.Finding
		switch {
		case m.Intent == saydo.IntentWarning && reminder != nil && !hasReminder[m.Department] && reminder.Applies(m):
			dept := m.Department
			if dept == "" {
				dept = "no department"
			}
			add = append(add, journeyFinding(m, reminder, "intent: warning",
				fmt.Sprintf(reminder.Message, dept), reminder.Suggestion))
		case m.Intent == saydo.IntentOffer && suppress != nil && !slices.Contains(m.Suppress, saydo.SuppressComplaint) && suppress.Applies(m):
			add = append(add, journeyFinding(m, suppress, "intent: offer", suppress.Message, suppress.Suggestion))
		}
		if len(add) > 0 {
			out[i] = append(add, out[i]...)
		}
	}
}

// journeyFinding points at the front matter, where intent is declared.
func journeyFinding(m *saydo.Message, r *saydo.Rule, match, text, suggestion string) saydo.Finding {
	return saydo.Finding{Message: m.ID, Path: m.Path, Rule: r.ID, Level: r.Level, Line: 1, Column: 1,
		Match: match, Text: text, Suggestion: suggestion}
}
