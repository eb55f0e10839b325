package lint

import (
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

// TestColdness: refusals of contact, dismissals and blame are heard by
// Tone, and a contact word the message withdraws is no next step; the
// polite forms that look alike are left alone.
func TestColdness(t *testing.T) {
	l := mustLinter(t, nil, nil)
	tests := []struct {
		name, lang, body string
		// tone lists the starts of the Tone findings expected; nextStep
		// whether an error-level NextStep finding is expected.
		tone     []string
		nextStep bool
	}{
		{"issue 9", "en", "Your complaint has been closed. We will not respond to further messages regarding this matter. Do not contact us again.",
			[]string{"Refuses contact", "Refuses contact"}, true},
		{"issue 9 in Romanian", "ro", "Plângerea dumneavoastră a fost închisă. Nu vom mai răspunde la mesaje pe această temă. Nu ne mai contactați.",
			[]string{"Refuses contact", "Refuses contact"}, true},
		{"without diacritics", "ro", "Plangerea a fost inchisa. Nu vom mai raspunde la mesaje. Nu ne mai contactati.",
			[]string{"Refuses contact", "Refuses contact"}, true},
		{"dismissal", "en", "Dear Mr Pop, this matter is closed and our decision is final.",
			[]string{"Closes the conversation"}, true},
		{"dismissal ro", "ro", "Stimate client, decizia noastră este definitivă și nu mai putem face nimic.",
			[]string{"Closes the conversation"}, true},
		{"blame", "en", "Hello Ana, the delay was due to your failure to send the documents. Call us on 0800 100 200.",
			[]string{"Harsh or cold wording"}, false},
		{"blame ro", "ro", "Bună ziua, întârzierea a fost din vina dumneavoastră. Sunați-ne la 0800 100 200.",
			[]string{"Harsh or cold wording"}, false},
		{"closed with a way back", "en", "Hello Ana, your complaint has been closed. If anything is still wrong, reply to this email and we will reopen it.",
			nil, false},
		{"do not hesitate", "en", "Hello Ana, please don't hesitate to contact us if you need anything else.", nil, false},
		{"condition before the contact", "en", "Hello Ana, if you don't receive it by Friday, call us on 0800 100 200.", nil, false},
		{"someone else could not help", "en", "Hello Ana, I'm sorry he wasn't able to help. You can ask to speak with a manager on 0800 100 200.", nil, false},
		{"a thing does not respond", "en", "Hello Ana, the app does not respond until you restart it. Call us on 0800 100 200 if it keeps happening.", nil, false},
		{"a channel's limit with a way on", "en", "Hello Ana, we aren't able to call from here. The secure form sends your details to our team: https://example.com/form", nil, false},
		{"ro polite", "ro", "Bună ziua, reclamația a fost rezolvată. Dacă mai aveți întrebări, sunați-ne la 0800 100 200.", nil, false},
		{"ro nu ezitați", "ro", "Bună ziua, nu ezitați să ne contactați la 0800 100 200.", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := l.Lint(&saydo.Message{ID: "m", Channel: "email", Lang: tt.lang, Body: tt.body})
			var tone []string
			next := false
			for _, f := range fs {
				switch {
				case f.Rule == saydo.RuleTone:
					tone = append(tone, f.Text)
				case f.Rule == saydo.RuleNextStep && f.Level == saydo.LevelError:
					next = true
				}
			}
			match := len(tone) == len(tt.tone)
			for i := range min(len(tone), len(tt.tone)) {
				match = match && strings.HasPrefix(tone[i], tt.tone[i])
			}
			if !match {
				t.Errorf("Tone findings: got %q, want ones starting %q%s", tone, tt.tone, describe(fs))
			}
			if next != tt.nextStep {
				t.Errorf("NextStep error: got %v, want %v%s", next, tt.nextStep, describe(fs))
			}
		})
	}
}
