package lint

import (
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

func promiseWorkspace() *saydo.Workspace {
	return &saydo.Workspace{Promises: []saydo.Promise{
		{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds", Stage: "support",
			Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95},
			Voice:     map[string][]string{"en": {"on hold"}, "ro": {"în așteptare", "nu răspunde nimeni"}}},
		{ID: "refund-5-days", Says: "Refunds reach your account within 5 days.", Metric: "refund_days",
			Objective: saydo.Objective{Kind: saydo.AtMost, Value: 5, Share: 0.9}, Voice: map[string][]string{"ro": {"rambursare"}}},
		{ID: "technician-24h", Says: "A technician comes within 24 hours.", Metric: "repair_hours",
			Objective: saydo.Objective{Kind: saydo.AtMost, Value: 24, Share: 0.9}, Voice: map[string][]string{"ro": {"tehnician"}}},
		{ID: "late-credit", Says: "If we are late, we credit your account €10.", Metric: "late_credit_paid",
			Objective: saydo.Objective{Kind: saydo.AtLeast, Value: 1, Share: 0.99}},
		{ID: "discount", Says: "New customers get 50% off the first month.", Metric: "discount_applied",
			Objective: saydo.Objective{Kind: saydo.AtLeast, Value: 1, Share: 0.99}},
		{ID: "one-visit", Says: "We fix it in 1 visit.", Metric: "visits_per_repair",
			Objective: saydo.Objective{Kind: saydo.MeanAtMost, Value: 1}},
	}}
}

func TestPromiseConflict(t *testing.T) {
	l := mustLinter(t, promiseWorkspace(), nil)
	tests := []struct {
		name, lang, body string
		want             string // "" for no conflict, else the promise id and both values
	}{
		{"same figure", "en", "Your refund will reach your account within 5 days.", ""},
		{"phone number then weekday", "ro", "Rambursarea: sunați la 0800 100 200, de luni până vineri.", ""},
		{"phone number digit groups", "en", "Questions about your refund? Call 0800 100 200 days and nights.", ""},
		{"comma breaks a quantity", "en", "Refunds: we have 10, days are busy.", ""},
		{"longer", "en", "Your refund will reach your account within 10 business days.", `"10 business days" where promise refund-5-days says "5 days"`},
		{"business vs calendar that fit", "en", "Refunds take 5 business days.", ""},
		{"business vs calendar that do not", "en", "Refunds take 7 business days.", `"7 business days" where promise refund-5-days`},
		{"hours as days", "en", "A technician will come within one day.", ""},
		{"48 hours", "en", "A technician will come within 48 hours.", `"48 hours" where promise technician-24h says "24 hours"`},
		{"spelled", "en", "A technician will come within two days.", `"two days" where promise technician-24h`},
		{"ro", "ro", "Tehnicianul vine în 24 de ore.", ""},
		{"ro conflict", "ro", "Tehnicianul vine în 48 de ore.", `"48 de ore" where promise technician-24h`},
		{"ro business days", "ro", "Rambursarea ajunge în 10 zile lucrătoare.", `"10 zile lucrătoare" where promise refund-5-days`},
		{"ro no diacritics", "ro", "Rambursarea ajunge in 5 zile.", ""},
		{"metric objective", "en", "Every call is answered within 5 minutes.", `"5 minutes" where promise answer-in-2-min says "2 minutes"`},
		{"seconds", "en", "We answer calls within 120 seconds.", ""},
		{"money", "en", "If we are late we credit your account €5.", `"€5" where promise late-credit says "€10"`},
		{"money agrees", "en", "Late? We credit your account €10.", ""},
		{"percent", "en", "New customers get 30% off.", `"30%" where promise discount says "50%"`},
		{"count", "en", "Our technician may need 3 visits to fix it.", `"3 visits" where promise one-visit says "1 visit"`},
		{"unrelated figure", "en", "Your bill of 45 RON is ready; you have 3 days of free roaming left.", ""},
		{"range upper bound", "en", "A technician comes within 24-48 hours.", `"24-48 hours"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := saydo.Message{ID: "m", Channel: "chat", Lang: tt.lang, Body: tt.body}
			var got []string
			for _, f := range l.Lint(&m) {
				if f.Rule == saydo.RulePromiseConflict {
					got = append(got, f.Text)
					if f.Level != saydo.LevelError {
						t.Errorf("level %s, want error", f.Level)
					}
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("got %q, want no conflict", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("got %q, want one conflict containing %s", got, tt.want)
			}
		})
	}
}

func TestCountSMS(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		enc      Encoding
		units    int
		segments int
	}{
		{"empty", "", GSM7, 0, 0},
		{"160 GSM-7", strings.Repeat("a", 160), GSM7, 160, 1},
		{"161 GSM-7", strings.Repeat("a", 161), GSM7, 161, 2},
		{"306 GSM-7", strings.Repeat("a", 306), GSM7, 306, 2},
		{"307 GSM-7", strings.Repeat("a", 307), GSM7, 307, 3},
		{"euro counts 2", strings.Repeat("a", 158) + "€", GSM7, 160, 1},
		{"euro tips over", strings.Repeat("a", 159) + "€", GSM7, 161, 2},
		{"extension never split", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 10), GSM7, 164, 2},
		{"extension set", "^{}\\[~]|€", GSM7, 18, 1},
		{"GSM basic accents", "èéùìòÇØøÅåÄÖÑÜäöñüà£¥§¿¡ΔΦΓΛΩΠΨΣΘΞ", GSM7, 34, 1},
		{"70 UCS-2", "ș" + strings.Repeat("a", 69), UCS2, 70, 1},
		{"71 UCS-2", "ț" + strings.Repeat("a", 70), UCS2, 71, 2},
		{"134 UCS-2", "ş" + strings.Repeat("a", 133), UCS2, 134, 2},
		{"135 UCS-2", "ţ" + strings.Repeat("a", 134), UCS2, 135, 3},
		{"ă is not GSM", "ă", UCS2, 1, 1},
		{"emoji is 2 units", "😀" + strings.Repeat("a", 68), UCS2, 70, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CountSMS(tt.text)
			if got.Encoding != tt.enc || got.Units != tt.units || got.Segments != tt.segments {
				t.Errorf("got %s %d units %d segments, want %s %d units %d segments", got.Encoding, got.Units, got.Segments, tt.enc, tt.units, tt.segments)
			}
		})
	}
}

func TestSMSLength(t *testing.T) {
	tests := []struct {
		name     string
		rules    []saydo.Rule
		body     string
		vars     []string
		want     saydo.Level // "" for no finding
		contains string
	}{
		{"fits", nil, "Hello {{name}}, " + strings.Repeat("a", 100), nil, "", ""},
		{"4 GSM segments", nil, "Hello {{name}}, " + strings.Repeat("word ", 100), nil, saydo.LevelError, "Takes 4 SMS segments (GSM-7"},
		{"diacritics force UCS-2", nil, "Bună ziua, {{nume}}! " + strings.Repeat("ță ", 70), nil, saydo.LevelError, "UCS-2 because of 'ă'"},
		{"diacritics cost a segment", nil, "Bună ziua! " + strings.Repeat("a", 70), nil, saydo.LevelSuggestion, "makes this SMS UCS-2: 2 segments instead of 1"},
		{"max from style", []saydo.Rule{{ID: saydo.RuleSMSLength, Kind: saydo.KindBuiltin, Max: 1}}, "Hello " + strings.Repeat("a", 200), nil, saydo.LevelError, "at most 1 allowed"},
		{"placeholder length", []saydo.Rule{{ID: saydo.RuleSMSLength, Kind: saydo.KindBuiltin, Max: 1, Options: map[string]string{"placeholder_length": "20"}}}, strings.Repeat("a", 150) + "{{x}}", nil, saydo.LevelError, "170 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLinter(t, nil, tt.rules)
			m := saydo.Message{ID: "s", Channel: "sms", Lang: "en", Body: tt.body}
			var got *saydo.Finding
			fs := l.Lint(&m)
			for i := range fs {
				if fs[i].Rule == saydo.RuleSMSLength {
					got = &fs[i]
				}
			}
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("got %s %q, want nothing", got.Level, got.Text)
			case tt.want != "" && got == nil:
				t.Errorf("got nothing, want %s containing %q%s", tt.want, tt.contains, describe(fs))
			case tt.want != "" && (got.Level != tt.want || !strings.Contains(got.Text, tt.contains)):
				t.Errorf("got %s %q, want %s containing %q", got.Level, got.Text, tt.want, tt.contains)
			}
		})
	}
}
