package lint

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

// workspaceRules are ten rules of the kinds a workspace writes.
func workspaceRules() []saydo.Rule {
	return []saydo.Rule{
		{ID: "n.Jargon", Kind: saydo.KindForbid, Tokens: map[string][]string{"en": {"leverage", "synergy", "going forward", "touch base"}, "ro": {"sinergie", "implementare"}}},
		{ID: "n.Customer", Kind: saydo.KindSubstitute, Swap: map[string]map[string]string{"en": {"client": "customer", "subscriber": "customer"}, "ro": {"abonat": "client"}}},
		{ID: "n.SignOff", Kind: saydo.KindRequire, Channels: []string{"email", "letter"}, Tokens: map[string][]string{"*": {"Nordtel"}}},
		{ID: "n.Exclaim", Kind: saydo.KindLimit, Max: 1, Patterns: map[string][]string{"*": {`!`}}},
		{ID: "n.Words", Kind: saydo.KindLimit, Unit: saydo.UnitWords, Max: 80},
		{ID: "n.Short", Kind: saydo.KindReadability, Max: 22, Languages: []string{"en"}},
		{ID: "n.NoCaps", Kind: saydo.KindForbid, CaseSensitive: true, Patterns: map[string][]string{"*": {`\b[A-Z]{5,}\b`}}},
		{ID: "n.Sorry", Kind: saydo.KindLimit, Scope: saydo.ScopeMessage, Max: 1, Tokens: map[string][]string{"en": {"sorry", "apolog*"}, "ro": {"ne pare rău", "scuze"}}},
		{ID: "n.Free", Kind: saydo.KindForbid, Level: saydo.LevelError, Tokens: map[string][]string{"en": {"free", "guaranteed"}, "ro": {"gratuit*", "garantat*"}}},
		{ID: "n.Dear", Kind: saydo.KindSubstitute, Swap: map[string]map[string]string{"en": {"dear customer": "Hello {{name}}"}, "ro": {"stimate client": "Bună ziua, {{nume}}"}}},
	}
}

// generated returns n short messages in English and Romanian over every
// channel, mixing good and bad sentences.
func generated(n int) []saydo.Message {
	r := rand.New(rand.NewPCG(1, 2))
	open := []string{"Hello {{name}},", "Hi {{name}}!", "Bună ziua, {{nume}},", "Dear customer,", "Cod client {{code}}:", "", "Buna ziua,"}
	mid := []string{
		"your Nordtel bill of {{amount}} is due on {{due_date}}.",
		"factura de {{suma}} lei este scadentă pe {{data}}.",
		"Restantele se raporteaza Biroului de Credit.",
		"If we do not hear from you by {{deadline}}, we may have to report the overdue amount to the credit bureau.",
		"Dacă nu primim plata până la {{data}}, serviciul poate fi suspendat.",
		"A technician will come within 48 hours.",
		"Refunds reach your account within 5 business days.",
		"PLEASE PAY IMMEDIATELY!!",
		"We are sorry for the wait and we will leverage our synergy going forward.",
		"Your order has shipped and will arrive in 2 days.",
		"Rambursarea ajunge în 10 zile lucrătoare.",
		"Thank you for being with us.",
	}
	end := []string{"Call 0800 800 800.", "Reply HELP for help.", "Detalii la 0800 800 800.", "", "Pay at nordtel.com/pay.", "The Nordtel team"}
	chans := []string{"sms", "email", "letter", "push", "chat", "social"}
	out := make([]saydo.Message, n)
	for i := range out {
		body := open[r.IntN(len(open))] + " " + mid[r.IntN(len(mid))] + " " + mid[r.IntN(len(mid))] + " " + end[r.IntN(len(end))]
		out[i] = saydo.Message{ID: fmt.Sprintf("m%d", i), Path: fmt.Sprintf("messages/m%d.txt", i), Channel: chans[r.IntN(len(chans))], Body: strings.TrimSpace(body), BodyLine: 8}
	}
	return out
}

// BenchmarkLint lints 20,000 short generated messages with the built-in
// pack, ten workspace rules and six promises, one message after another
// on one goroutine; it reports messages/s and the peak heap.
func BenchmarkLint(b *testing.B) {
	l := mustLinter(b, promiseWorkspace(), workspaceRules())
	ms := generated(20000)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	findings := 0
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for b.Loop() {
		for i := range ms {
			findings += len(l.Lint(&ms[i]))
		}
	}
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	// On a shared machine wall time depends on the neighbours; CPU time
	// of this process does not.
	b.ReportMetric(float64(b.N*len(ms))/cpu.Seconds(), "messages/cpu-s")
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N*len(ms))/el.Seconds(), "messages/s")
	b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(findings)/float64(b.N*len(ms)), "findings/msg")
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLintAll is the same catalogue linted on every core.
func BenchmarkLintAll(b *testing.B) {
	l := mustLinter(b, promiseWorkspace(), workspaceRules())
	ms := generated(20000)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		l.LintAll(ms)
	}
	b.ReportMetric(float64(b.N*len(ms))/time.Since(start).Seconds(), "messages/s")
}

func TestWorkspaceRules(t *testing.T) {
	l := mustLinter(t, nil, workspaceRules())
	tests := []struct {
		name, channel, lang, body string
		want                      []string // rule ids, in order
	}{
		{"forbid", "chat", "en", "We will leverage this going forward.", []string{"n.Jargon", "n.Jargon"}},
		{"forbid ro without diacritics", "chat", "ro", "O sinergie si o implementare.", []string{"n.Jargon", "n.Jargon"}},
		{"substitute", "chat", "en", "Dear customer, every client matters.", []string{"n.Dear", "n.Customer"}},
		{"require on email", "email", "en", "Hello {{name}}, call us on 0800 800 800.", []string{"n.SignOff"}},
		{"require met", "email", "en", "Hello {{name}}, call us on 0800 800 800. The Nordtel team", nil},
		{"limit", "chat", "en", "Great! Thanks! Bye.", []string{"n.Exclaim"}},
		{"case-sensitive pattern", "chat", "en", "This is URGENT for you.", []string{"n.NoCaps", "saydo.Tone"}},
		{"scoped language", "chat", "ro", "Această propoziție are multe cuvinte dar regula de lizibilitate a spațiului de lucru este doar pentru engleză așa că nu se aplică deloc aici.", nil},
		{"error level", "chat", "ro", "Instalarea este gratuită.", []string{"n.Free"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := saydo.Message{ID: "m", Channel: tt.channel, Lang: tt.lang, Body: tt.body}
			fs := l.Lint(&m)
			var got []string
			for _, f := range fs {
				if strings.HasPrefix(f.Rule, "n.") || f.Rule == saydo.RuleTone {
					got = append(got, f.Rule)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v%s", got, tt.want, describe(fs))
			}
		})
	}
}

func TestDisable(t *testing.T) {
	m := saydo.Message{ID: "m", Channel: "sms", Body: "Restantele se raporteaza Biroului de Credit."}
	tests := []struct {
		name  string
		rules []saydo.Rule
		want  int // findings of the pack
	}{
		{"on", nil, 5},
		{"one off", []saydo.Rule{{ID: saydo.RuleWarningFirst, Kind: saydo.KindBuiltin, Disabled: true}}, 4},
		{"pack off", []saydo.Rule{{ID: saydo.Pack, Kind: saydo.KindBuiltin, Disabled: true}}, 0},
		{"scoped away", []saydo.Rule{{ID: saydo.RuleWarningFirst, Kind: saydo.KindBuiltin, Channels: []string{"letter"}}}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := mustLinter(t, nil, tt.rules).Lint(&m)
			if len(fs) != tt.want {
				t.Errorf("got %d findings, want %d%s", len(fs), tt.want, describe(fs))
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	_, err := New(nil, []saydo.Rule{
		{ID: "a.B", Kind: saydo.KindForbid, Pos: saydo.Pos{File: "style/x.yaml", Line: 3, Col: 5}},
		{ID: "a.C", Kind: saydo.KindForbid, Patterns: map[string][]string{"en": {"(x"}}, Pos: saydo.Pos{File: "style/x.yaml", Line: 9, Col: 5}},
	}, Options{})
	if err == nil || !strings.Contains(err.Error(), "style/x.yaml:3:5: rule a.B: forbid needs tokens or patterns") {
		t.Errorf("got %v, want the first error at style/x.yaml:3:5", err)
	}
}

// FuzzLint feeds any body and template to the linter: it must not panic,
// and every finding must point inside the message.
func FuzzLint(f *testing.F) {
	for _, m := range goodMessages {
		f.Add(m.Body, m.Channel, m.Lang)
	}
	f.Add("Cod IDclient {{client_code}}: La {{date}} suma datorata este {{amount}} RON. Restantele se raporteaza Biroului de Credit.", "sms", "")
	f.Add("{{ {{}} }} {x}} {{a b}} }}{{", "email", "en")
	f.Add("€5 50% 2-3 days 24 de ore 10 zile lucrătoare 1,000.5 two weeks", "chat", "")
	l := mustLinter(f, promiseWorkspace(), workspaceRules())
	f.Fuzz(func(t *testing.T, body, channel, lang string) {
		if !utf8.ValidString(body) {
			return
		}
		m := saydo.Message{ID: "f", Channel: channel, Lang: lang, Body: body, BodyLine: 3}
		lines := strings.Count(body, "\n") + 3
		for _, fd := range l.Lint(&m) {
			if fd.Line < 3 || fd.Line > lines || fd.Column < 1 {
				t.Fatalf("finding %s at %d:%d outside the message (%d lines)", fd.Rule, fd.Line, fd.Column, lines)
			}
			if !strings.Contains(body, fd.Match) {
				t.Fatalf("finding %s: match %q is not in the body", fd.Rule, fd.Match)
			}
		}
	})
}
