package lint

import (
	"fmt"
	"slices"
	"testing"

	"github.com/saydo/saydo"
)

func TestJourneyChecks(t *testing.T) {
	body := "Hello {{name}}, thank you for being with us. Call 0800 123 456 if you have questions."
	msg := func(id, dept string, intent saydo.Intent, suppress ...string) saydo.Message {
		return saydo.Message{ID: id, Channel: "email", Department: dept, Lang: "en", Intent: intent, Suppress: suppress, Body: body, Variables: []string{"name"}}
	}
	tests := []struct {
		name      string
		ms        []saydo.Message
		catalogue []saydo.Message
		want      []string // "message rule"
	}{
		{"warning without a reminder in its department",
			[]saydo.Message{msg("bureau", "collections", saydo.IntentWarning), msg("remind", "billing", saydo.IntentReminder)}, nil,
			[]string{"bureau saydo.ReminderFirst"}},
		{"warning with a reminder in its department",
			[]saydo.Message{msg("bureau", "collections", saydo.IntentWarning), msg("remind", "collections", saydo.IntentReminder)}, nil, nil},
		{"the reminder is elsewhere in the catalogue",
			[]saydo.Message{msg("bureau", "collections", saydo.IntentWarning)}, []saydo.Message{msg("remind", "collections", saydo.IntentReminder)}, nil},
		{"offer not suppressed, offer suppressed, service",
			[]saydo.Message{msg("upsell", "sales", saydo.IntentOffer), msg("upsell-ok", "sales", saydo.IntentOffer, "complaint"), msg("outage", "care", saydo.IntentService)}, nil,
			[]string{"upsell saydo.SuppressAfterComplaint"}},
		{"no intent, no journey finding", []saydo.Message{msg("plain", "sales", "")}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := New(nil, nil, Options{Catalogue: tt.catalogue})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, fs := range l.LintAll(tt.ms) {
				for _, f := range fs {
					if f.Rule == saydo.RuleReminderFirst || f.Rule == saydo.RuleSuppressAfterComplaint {
						got = append(got, fmt.Sprintf("%s %s", tt.ms[i].ID, f.Rule))
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings %q, want %q", got, tt.want)
			}
		})
	}
	// Off like any built-in rule.
	l, err := New(nil, []saydo.Rule{{ID: saydo.RuleSuppressAfterComplaint, Disabled: true}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fs := range l.LintAll([]saydo.Message{msg("upsell", "sales", saydo.IntentOffer)}) {
		for _, f := range fs {
			if f.Rule == saydo.RuleSuppressAfterComplaint {
				t.Errorf("disabled rule still reports: %+v", f)
			}
		}
	}
}
