package demo

import (
	"os"
	"path/filepath"
	"strings"
)

// cannedMessage is one Nordtel message template as written to
// messages/<department>/<id>.txt.
type cannedMessage struct {
	ID, Channel, Department, Stage, Lang, Trigger string
	Variables                                     []string
	Body                                          string
	// Intent and Suppress are the journey's front matter (journey.go).
	Intent   string
	Suppress []string
	// Flaw says what the linter should find; empty for a good message.
	// It is documentation for tests and readers, not written to the file.
	Flaw string
}

// file renders the message with its front matter.
func (m cannedMessage) file() string {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("id: " + m.ID + "\n")
	b.WriteString("channel: " + m.Channel + "\n")
	b.WriteString("department: " + m.Department + "\n")
	b.WriteString("stage: " + m.Stage + "\n")
	b.WriteString("lang: " + m.Lang + "\n")
	b.WriteString("trigger: " + m.Trigger + "\n")
	b.WriteString("variables: [" + strings.Join(m.Variables, ", ") + "]\n")
	if m.Intent != "" {
		b.WriteString("intent: " + m.Intent + "\n")
	}
	if len(m.Suppress) > 0 {
		b.WriteString("suppress: [" + strings.Join(m.Suppress, ", ") + "]\n")
	}
	b.WriteString("---\n")
	b.WriteString(m.Body)
	if !strings.HasSuffix(m.Body, "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}

// messages are Nordtel's canned messages: some good, some with the flaws
// saydo lint is built to catch.
var messages = []cannedMessage{
	{
		ID: "overdue-balance-sms", Channel: "sms", Department: "collections", Stage: "billing", Lang: "ro",
		Trigger:   "Card balance unpaid on the due date",
		Variables: []string{"client_code", "date", "amount"},
		Body:      "Cod IDclient {{client_code}}: La {{date}} suma datorata este {{amount}} RON. Restantele se raporteaza Biroului de Credit.",
		Flaw:      "no greeting, no reason, threatens the credit bureau with no chance to act first (saydo.Greeting, saydo.Reason, saydo.WarningFirst)",
	},
	{
		ID: "overdue-balance-sms-en", Channel: "sms", Department: "collections", Stage: "billing", Lang: "en",
		Trigger:   "Card balance unpaid on the due date",
		Variables: []string{"client_code", "date", "amount"},
		Body:      "Client ID {{client_code}}: On {{date}} the amount due is {{amount}} RON. Arrears are reported to the Credit Bureau.",
		Flaw:      "English twin of overdue-balance-sms: the same threat with no greeting or way out",
	},
	{
		ID: "payment-reminder-email", Channel: "email", Department: "collections", Stage: "billing", Lang: "en",
		Trigger:   "Invoice unpaid 3 days after the due date",
		Variables: []string{"first_name", "amount", "due_date", "deadline"},
		Body: `Hello {{first_name}},

We noticed that your Nordtel bill of {{amount}} RON, due on {{due_date}}, has not been paid yet. Maybe it slipped through, it happens to all of us.

You can pay it in the Nordtel app, at nordtel.example/pay or in any Nordtel shop by {{deadline}}. If something is wrong with the bill, or you need a few more days, call us on 0800 100 200 (free, 8:00 to 20:00) and we will find a solution together.

Thank you,
Ana from Nordtel Customer Care
`,
	},
	{
		ID: "payment-reminder-sms-ro", Channel: "sms", Department: "collections", Stage: "billing", Lang: "ro",
		Trigger:   "Invoice unpaid 3 days after the due date",
		Variables: []string{"first_name", "amount", "deadline"},
		Body:      "Bună ziua, {{first_name}}! Factura Nordtel de {{amount}} lei nu a fost încă plătită. Vă rugăm să o achitați până la {{deadline}} în aplicație, pe nordtel.example/plata sau în orice magazin Nordtel. Dacă întâmpinați dificultăți, sunați-ne gratuit la 0800 100 200, de luni până sâmbătă, între orele 8 și 20, și găsim împreună o soluție potrivită.",
		Flaw:      "too long for an SMS: diacritics force UCS-2, 67 characters a segment (saydo.SMSLength)",
	},
	{
		ID: "final-notice-sms", Channel: "sms", Department: "collections", Stage: "billing", Lang: "en",
		Trigger:   "Invoice unpaid 30 days after the due date",
		Variables: []string{"amount"},
		Body:      "FINAL NOTICE!!! YOUR ACCOUNT IS OVERDUE. PAY {{amount}} RON IMMEDIATELY OR YOUR SERVICE WILL BE SUSPENDED!!!",
		Flaw:      "shouting and piled-up exclamation marks; threatens suspension with no deadline (saydo.Tone, saydo.WarningFirst)",
	},
	{
		ID: "install-confirmation-sms", Channel: "sms", Department: "field-service", Stage: "delivery", Lang: "en",
		Trigger:   "Internet order placed",
		Variables: []string{"first_name", "order_id"},
		Body:      "Hi {{first_name}}, thanks for choosing Nordtel! Order {{order_id}}: our technician will install your internet within 5 days. Questions? Call 0800 100 200.",
		Flaw:      "says within 5 days where install-in-3-days promises 3 (saydo.PromiseConflict)",
	},
	{
		ID: "technician-visit-reminder-sms-ro", Channel: "sms", Department: "field-service", Stage: "delivery", Lang: "ro",
		Trigger:   "The day before a technician visit",
		Variables: []string{"first_name", "date", "slot"},
		Body:      "Buna ziua, {{first_name}}! Tehnicianul Nordtel vine pe {{date}}, intre {{slot}}. Alt interval? Sunati la 0800 100 200.",
	},
	{
		ID: "refund-email", Channel: "email", Department: "finance", Stage: "exit", Lang: "en",
		Trigger:   "Refund approved",
		Variables: []string{"first_name", "amount"},
		Body: `Dear {{first_name}},

Your refund of {{amount}} RON has been approved because your contract was closed with a credit on your account. The money will reach the bank account you gave us within 10 business days.

If it has not arrived by then, call us on 0800 100 200.

Nordtel Finance
`,
		Flaw: "says 10 business days where refund-in-5-days promises 5 (saydo.PromiseConflict)",
	},
	{
		ID: "refund-email-ro", Channel: "email", Department: "finance", Stage: "exit", Lang: "ro",
		Trigger:   "Refund approved",
		Variables: []string{"first_name", "amount", "iban_last4"},
		Body: `Bună ziua, {{first_name}},

Am aprobat rambursarea sumei de {{amount}} lei, pentru că la închiderea contractului ați avut credit în cont. Banii vor ajunge în contul care se termină în {{iban_last4}} în cel mult 5 zile.

Dacă aveți întrebări, ne găsiți la 0800 100 200, zilnic între 8 și 20.

Cu drag,
Echipa Nordtel
`,
	},
	{
		ID: "new-service-fee-email", Channel: "email", Department: "billing", Stage: "billing", Lang: "en",
		Trigger:   "Service fee added to the plan",
		Variables: []string{"first_name"},
		Body: `Dear {{first_name}},

Starting with your next bill, a monthly service fee of {{fee_amount}} RON will be added to your plan.

Nordtel Billing
`,
		Flaw: "uses {{fee_amount}}, which is not declared; announces a fee with no reason and no next step (saydo.Placeholder, saydo.Reason, saydo.NextStep)",
	},
	{
		ID: "bill-ready-email", Channel: "email", Department: "billing", Stage: "billing", Lang: "en",
		Trigger:   "Monthly bill issued",
		Variables: []string{"first_name", "month", "amount", "due_date"},
		Body: `Hello {{first_name}},

Your Nordtel bill for {{month}} is ready: {{amount}} RON, due on {{due_date}}. It holds only what your plan includes; every line is explained in the app.

If anything looks wrong, reply to this email or call 0800 100 200 and we will fix it.

Thank you for being with us,
Nordtel
`,
	},
	{
		ID: "callback-push", Channel: "push", Department: "care", Stage: "support", Lang: "en",
		Trigger:   "Caller chose a callback instead of waiting",
		Variables: []string{"first_name", "time"},
		Body:      "Hi {{first_name}}, no need to wait on hold: we will call you back at {{time}}. Tap to change the time.",
	},
	{
		ID: "wait-apology-email-ro", Channel: "email", Department: "care", Stage: "support", Lang: "ro",
		Trigger:   "Caller waited more than 10 minutes",
		Variables: []string{"first_name"},
		Body: `Bună ziua, {{first_name}},

Ne pare rău că ați așteptat atât de mult la telefon astăzi. Vara aceasta am primit de două ori mai multe apeluri decât de obicei și nu am fost pregătiți; angajăm și instruim colegi noi.

Ca să nu mai așteptați, puteți cere să vă sunăm noi din aplicația Nordtel, la ora care vă convine.

Cu respect,
Echipa Nordtel
`,
	},
}

// writeMessages writes every canned message and returns the paths.
func writeMessages(dir string) ([]string, error) {
	var paths []string
	for _, m := range messages {
		d := filepath.Join(dir, "messages", m.Department)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		p := filepath.Join(d, m.ID+".txt")
		if err := os.WriteFile(p, []byte(m.file()), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
