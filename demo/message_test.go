package demo

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// frontMatter splits a message file into its front matter keys and body.
func frontMatter(t *testing.T, path string) (map[string]string, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("%s: no front matter", path)
	}
	head, body, ok := strings.Cut(s[4:], "\n---\n")
	if !ok {
		t.Fatalf("%s: front matter not closed", path)
	}
	keys := map[string]string{}
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("%s: bad front matter line %q", path, line)
		}
		keys[k] = v
	}
	return keys, body
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([a-z_0-9]+)\s*\}\}`)

// undeclared returns the body's variables missing from the declared list.
func undeclared(declared, body string) []string {
	decl := strings.Split(strings.Trim(declared, "[]"), ", ")
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(decl, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// smsSegments counts the segments of an SMS body: GSM-7 unless a character
// outside it (such as ș or ț) forces UCS-2.
func smsSegments(body string) int {
	n := len([]rune(body))
	single, multi := 160, 153
	for _, c := range body {
		if c > 0x7f {
			single, multi = 70, 67
			break
		}
	}
	if n <= single {
		return 1
	}
	return (n + multi - 1) / multi
}

func TestMessages(t *testing.T) {
	w := nordtel(t)
	if len(w.Messages) < 12 {
		t.Fatalf("messages = %d, want at least 12", len(w.Messages))
	}
	depts := map[string]bool{}
	for _, d := range []string{"marketing", "sales", "care", "field-service", "billing", "network", "finance", "collections"} {
		depts[d] = true
	}
	channels, langs := map[string]int{}, map[string]int{}
	bodies := map[string]string{}
	var undeclaredIn []string
	for _, p := range w.Messages {
		keys, body := frontMatter(t, p)
		id := keys["id"]
		bodies[id] = body
		for _, k := range []string{"id", "channel", "department", "stage", "lang", "trigger", "variables"} {
			if keys[k] == "" {
				t.Errorf("%s: no %s", p, k)
			}
		}
		if got, want := p, filepath.Join(w.Dir, "messages", keys["department"], id+".txt"); got != want {
			t.Errorf("path = %s, want %s", got, want)
		}
		if !depts[keys["department"]] {
			t.Errorf("%s: unknown department %q", p, keys["department"])
		}
		if !slices.Contains([]string{"sms", "email", "letter", "push", "chat", "voice"}, keys["channel"]) {
			t.Errorf("%s: unknown channel %q", p, keys["channel"])
		}
		if !slices.Contains([]string{"awareness", "purchase", "delivery", "usage", "support", "billing", "exit"}, keys["stage"]) {
			t.Errorf("%s: unknown stage %q", p, keys["stage"])
		}
		channels[keys["channel"]]++
		langs[keys["lang"]]++
		if len(undeclared(keys["variables"], body)) > 0 {
			undeclaredIn = append(undeclaredIn, id)
		}
	}
	if got, want := undeclaredIn, []string{"new-service-fee-email"}; !slices.Equal(got, want) {
		t.Errorf("messages with undeclared variables = %v, want %v", got, want)
	}
	if channels["sms"] == 0 || channels["email"] == 0 || channels["push"] == 0 || langs["en"] == 0 || langs["ro"] == 0 {
		t.Errorf("channels %v, languages %v: want sms, email, push, en and ro", channels, langs)
	}
	tests := []struct {
		id, name string
		check    func(body string) bool
	}{
		{"overdue-balance-sms", "the real collections SMS", func(b string) bool {
			return strings.Contains(b, "Cod IDclient {{client_code}}: La {{date}} suma datorata este {{amount}} RON. Restantele se raporteaza Biroului de Credit.")
		}},
		{"overdue-balance-sms-en", "its English counterpart", func(b string) bool {
			return strings.Contains(b, "Credit Bureau") && !strings.HasPrefix(b, "Hi") && !strings.HasPrefix(b, "Hello")
		}},
		{"install-confirmation-sms", "contradicts 3 days", func(b string) bool { return strings.Contains(b, "within 5 days") }},
		{"refund-email", "contradicts 5 days", func(b string) bool { return strings.Contains(b, "10 business days") }},
		{"final-notice-sms", "shouts", func(b string) bool {
			words := placeholderRE.ReplaceAllString(b, "")
			return strings.Contains(b, "!!!") && strings.ToUpper(words) == words
		}},
		{"payment-reminder-sms-ro", "too long with diacritics", func(b string) bool {
			return strings.ContainsAny(b, "șț") && smsSegments(strings.TrimSpace(b)) > 3
		}},
		{"technician-visit-reminder-sms-ro", "a good SMS fits one GSM-7 segment", func(b string) bool {
			return smsSegments(strings.TrimSpace(b)) == 1
		}},
		{"payment-reminder-email", "a good reminder: greeting, reason, deadline, phone", func(b string) bool {
			return strings.HasPrefix(b, "Hello") && strings.Contains(b, "{{deadline}}") && strings.Contains(b, "0800 100 200")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			b, ok := bodies[tt.id]
			if !ok {
				t.Fatalf("no message %s", tt.id)
			}
			if !tt.check(b) {
				t.Errorf("%s: want %s, body:\n%s", tt.id, tt.name, b)
			}
		})
	}
}
