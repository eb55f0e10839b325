package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

func mustLinter(t testing.TB, ws *saydo.Workspace, rules []saydo.Rule) *Linter {
	t.Helper()
	l, err := New(ws, rules, Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

func rulesOf(fs []saydo.Finding, level saydo.Level) []string {
	var out []string
	for _, f := range fs {
		if level == "" || f.Level == level {
			out = append(out, f.Rule)
		}
	}
	return out
}

func describe(fs []saydo.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %d:%d %s %s %q: %s", f.Line, f.Column, f.Level, f.Rule, f.Match, f.Text)
	}
	return b.String()
}

// The SMS from the issue, and its English translation.
func TestIssueSMS(t *testing.T) {
	l := mustLinter(t, nil, nil)
	tests := []struct {
		name string
		m    saydo.Message
	}{
		{"ro", saydo.Message{ID: "overdue", Channel: "sms", Lang: "ro", BodyLine: 10, Variables: []string{"client_code", "date", "amount"},
			Body: "Cod IDclient {{client_code}}: La {{date}} suma datorata este {{amount}} RON. Restantele se raporteaza Biroului de Credit."}},
		{"ro detected, values filled in", saydo.Message{ID: "overdue", Channel: "sms",
			Body: "Cod IDclient XX8644YY: La 06/02/2012 suma datorata este 67.41 RON. Restantele se raporteaza Biroului de Credit."}},
		{"ro with diacritics", saydo.Message{ID: "overdue", Channel: "sms",
			Body: "Cod IDclient {{client_code}}: La {{date}} suma datorată este {{amount}} RON. Restanțele se raportează Biroului de Credit."}},
		{"ro with cedillas", saydo.Message{ID: "overdue", Channel: "sms",
			Body: "Cod IDclient {{client_code}}: La {{date}} suma datorată este {{amount}} RON. Restanţele se raportează Biroului de Credit."}},
		{"en", saydo.Message{ID: "overdue-en", Channel: "sms", Lang: "en",
			Body: "Client code {{client_code}}: on {{date}} the amount owed is {{amount}} RON. Arrears are reported to the Credit Bureau."}},
		{"en detected", saydo.Message{ID: "overdue-en", Channel: "sms",
			Body: "Client code XX8644YY: on 06/02/2012 the amount owed is 67.41 RON. Arrears are reported to the Credit Bureau."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := l.Lint(&tt.m)
			got := strings.Join(rulesOf(fs, ""), " ")
			for _, want := range []string{saydo.RuleGreeting, saydo.RuleWarningFirst, saydo.RuleNextStep} {
				if !strings.Contains(got, want) {
					t.Errorf("got %s, want %s among them%s", got, want, describe(fs))
				}
			}
			for _, f := range fs {
				if f.Rule == saydo.RuleWarningFirst && (f.Level != saydo.LevelError || !strings.Contains(f.Text, "credit bureau")) {
					t.Errorf("WarningFirst: got %s %q, want an error naming the credit bureau", f.Level, f.Text)
				}
			}
		})
	}
	// The position of the threat, as in SPEC.md's example.
	fs := l.Lint(&tests[0].m)
	for _, f := range fs {
		if f.Rule == saydo.RuleWarningFirst {
			if f.Line != 10 || f.Column != 78 || f.Match != "Restantele se raporteaza Biroului de Credit" {
				t.Errorf("WarningFirst at %d:%d %q, want 10:78 \"Restantele se raporteaza Biroului de Credit\"", f.Line, f.Column, f.Match)
			}
		}
	}
}

// goodMessages are fit to send: no error-level finding is allowed.
var goodMessages = []saydo.Message{
	// warm reminders
	{ID: "reminder-en", Channel: "sms", Lang: "en", Body: "Hi {{name}}, a friendly reminder: your Nordtel bill of {{amount}} is due on {{due_date}}. Pay in the app or call us on 0800 800 800. Thank you!"},
	{ID: "reminder-ro", Channel: "sms", Lang: "ro", Body: "Buna ziua, {{nume}}! Factura Nordtel de {{suma}} lei este scadenta pe {{data}}. O puteti plati in aplicatie sau la 0800 800 800. Multumim!"},
	{ID: "reminder-ro-diacritics", Channel: "email", Lang: "ro", Body: "Bună ziua, {{nume}},\n\nVă reamintim că factura Nordtel de {{suma}} lei pentru luna {{luna}} are scadența pe {{data}}. O puteți plăti în aplicație, online pe nordtel.ro/plata sau în orice magazin Nordtel.\n\nDacă aveți întrebări, ne puteți suna la 0800 800 800.\n\nCu drag,\nEchipa Nordtel"},
	{ID: "reminder-email", Channel: "email", Lang: "en", Body: "Dear {{name}},\n\nYour Nordtel invoice for {{month}} ({{amount}}) was due on {{due_date}} and we have not received it yet. It may simply have slipped through: you can pay in the app or at nordtel.com/pay.\n\nIf anything makes paying hard right now, reply to this email or call 0800 800 800 and we will find a plan together.\n\nWarm regards,\nThe Nordtel team"},
	// fair collection notices with a deadline
	{ID: "fair-en", Channel: "letter", Lang: "en", Body: "Dear {{name}},\n\nYour account shows {{amount}} overdue since {{due_date}} for your mobile plan. If we do not hear from you by {{deadline}}, we may have to report the overdue amount to the credit bureau.\n\nPlease call us on 0800 800 800 or reply to this letter: we can agree a payment plan.\n\nKind regards,\nNordtel Collections"},
	{ID: "fair-en-sms", Channel: "sms", Lang: "en", Body: "Hello {{name}}, your Nordtel bill of {{amount}} is still unpaid. Please pay by {{deadline}} to avoid suspension of your service. Questions? Call 0800 800 800."},
	{ID: "fair-ro", Channel: "letter", Lang: "ro", Body: "Stimate {{nume}},\n\nFactura Nordtel de {{suma}} lei, scadentă pe {{data_scadenta}}, nu a fost încă achitată. Dacă nu primim plata până la {{data}}, vom fi nevoiți să raportăm suma la Biroul de Credit.\n\nVă rugăm să ne sunați la 0800 800 800 dacă aveți nevoie de o eșalonare.\n\nCu stimă,\nEchipa Nordtel"},
	{ID: "fair-ro-sms", Channel: "sms", Lang: "ro", Body: "Buna ziua, {{nume}}. Factura de {{suma}} lei nu a fost achitata. Daca nu o platiti pana pe {{data}}, serviciul va fi suspendat. Detalii la 0800 800 800."},
	{ID: "fair-ro-otherwise", Channel: "email", Lang: "ro", Body: "Bună ziua, {{nume}},\n\nVă rugăm să achitați factura de {{suma}} lei până la {{data}}. În caz contrar, serviciul poate fi suspendat.\n\nPentru o eșalonare, sunați-ne la 0800 800 800."},
	// confirmations
	{ID: "confirm-en", Channel: "sms", Lang: "en", Body: "Hi {{name}}, thanks for your payment of {{amount}}. Your Nordtel account is up to date. Questions? Reply HELP."},
	{ID: "confirm-ro", Channel: "sms", Lang: "ro", Body: "Buna, {{nume}}! Am primit plata de {{suma}} lei. Multumim! Pentru detalii, intrati in aplicatia Nordtel."},
	{ID: "order-push", Channel: "push", Lang: "en", Body: "Your new SIM card is on its way and will arrive within 2 days."},
	{ID: "order-push-ro", Channel: "push", Lang: "ro", Body: "Cartela SIM nouă este pe drum și ajunge în 2 zile."},
	{ID: "visit-email", Channel: "email", Lang: "en", Body: "Hello {{name}},\n\nYour technician visit is booked for {{date}} between {{from}} and {{to}}. Need another time? Reply to this email or call 0800 800 800.\n\nThe Nordtel team"},
	{ID: "outage-apology-ro", Channel: "sms", Lang: "ro", Body: "Buna ziua, {{nume}}. Ne pare rau pentru intreruperea serviciului de azi. Am rezolvat problema; daca mai aveti probleme, sunati la 0800 800 800."},
	{ID: "no-suspension", Channel: "sms", Lang: "en", Body: "Hi {{name}}, we received your request. Your service will not be suspended while we look into your bill. We will call you within 2 days."},
	{ID: "chat-reply", Channel: "chat", Lang: "en", Body: "I'm sorry about the wait! Could you send me your order number so I can check it?"},
	{ID: "tweet", Channel: "social", Lang: "en", Body: "@jane We're sorry your bag was delayed. Please DM us your file reference and we'll look into it. *AA"},
}

func TestGoodMessages(t *testing.T) {
	l := mustLinter(t, nil, nil)
	for _, m := range goodMessages {
		t.Run(m.ID, func(t *testing.T) {
			fs := l.Lint(&m)
			if errs := rulesOf(fs, saydo.LevelError); len(errs) > 0 {
				t.Errorf("got errors %v, want none (a false alarm)%s", errs, describe(fs))
			}
			// Every good message here greets where a greeting is expected
			// and names a next step: no warnings of these kinds either.
			for _, f := range fs {
				if f.Level == saydo.LevelWarning && (f.Rule == saydo.RuleGreeting || f.Rule == saydo.RuleWarningFirst || f.Rule == saydo.RuleTone) {
					t.Errorf("got %s %s %q, want none%s", f.Level, f.Rule, f.Match, describe(fs))
				}
			}
		})
	}
}

func TestBadMessages(t *testing.T) {
	l := mustLinter(t, nil, nil)
	tests := []struct {
		m    saydo.Message
		want string // rule that must fire
	}{
		{saydo.Message{ID: "threat-en", Channel: "email", Body: "Dear {{name}}, your account is overdue. We will pass your debt to a collection agency. Call 0800 800 800."}, saydo.RuleWarningFirst},
		{saydo.Message{ID: "threat-legal-ro", Channel: "sms", Body: "Buna ziua. Vom incepe executarea silita pentru suma de {{suma}} lei. Sunati la 0800 800 800."}, saydo.RuleWarningFirst},
		{saydo.Message{ID: "cutoff-ro", Channel: "sms", Body: "Buna ziua, {{nume}}. Serviciul va fi suspendat pentru factura neachitata. Sunati la 0800 800 800."}, saydo.RuleWarningFirst},
		{saydo.Message{ID: "harsh", Channel: "email", Body: "Dear {{name}}, FINAL NOTICE: you must pay immediately!!! Call 0800 800 800."}, saydo.RuleTone},
		{saydo.Message{ID: "no-greeting", Channel: "email", Body: "Your invoice is ready. See it at nordtel.com/bill."}, saydo.RuleGreeting},
		{saydo.Message{ID: "no-next", Channel: "email", Body: "Dear {{name}}, please pay your invoice of {{amount}}."}, saydo.RuleNextStep},
		{saydo.Message{ID: "no-reason", Channel: "sms", Body: "Hello {{name}}, please pay {{amount}} by {{date}}. Call 0800 800 800."}, saydo.RuleReason},
		{saydo.Message{ID: "placeholder", Channel: "email", Variables: []string{"name"}, Body: "Dear {{name}}, your code is {{code}}. Call {phone}."}, saydo.RulePlaceholder},
		{saydo.Message{ID: "broken", Channel: "email", Body: "Dear {{name, call us."}, saydo.RulePlaceholder},
		{saydo.Message{ID: "long", Channel: "sms", Body: "Hello {{name}}, " + strings.Repeat("this sentence goes on and on ", 6) + "until nobody reads it. Call 0800 800 800."}, saydo.RuleReadability},
		{saydo.Message{ID: "subst", Channel: "email", Body: "Dear {{name}}, kindly call us on 0800 800 800."}, saydo.RuleSubstitution},
	}
	for _, tt := range tests {
		t.Run(tt.m.ID, func(t *testing.T) {
			fs := l.Lint(&tt.m)
			if !strings.Contains(strings.Join(rulesOf(fs, ""), " "), tt.want) {
				t.Errorf("got %v, want %s%s", rulesOf(fs, ""), tt.want, describe(fs))
			}
		})
	}
}
