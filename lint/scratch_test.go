package lint

import (
	"fmt"
	"testing"

	"github.com/saydo/saydo"
)

func TestScratch(t *testing.T) {
	l, err := New(nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []saydo.Message{
		{ID: "ro", Channel: "sms", Lang: "", Body: "Cod IDclient {{client_code}}: La {{date}} suma datorata este {{amount}} RON. Restantele se raporteaza Biroului de Credit.", BodyLine: 10},
		{ID: "en", Channel: "sms", Body: "Client code {{client_code}}: on {{date}} the amount owed is {{amount}} RON. Arrears are reported to the Credit Bureau."},
		{ID: "fair", Channel: "sms", Body: "Hello {{name}}, your Nordtel invoice of {{amount}} was due on {{due_date}}. If we do not hear from you by {{deadline}}, we may have to report the overdue amount to the credit bureau. Call us on 0800 800 800 to agree a plan."},
		{ID: "fairro", Channel: "sms", Body: "Bună ziua, {{nume}}! Factura Nordtel de {{suma}} lei a fost scadentă pe {{data_scadenta}}. Dacă nu primim plata până la {{data}}, vom fi nevoiți să raportăm suma la Biroul de Credit. Ne puteți suna la 0800 800 800."},
	} {
		for _, f := range l.Lint(&m) {
			fmt.Printf("%s %d:%d %s %s %q %s\n", m.ID, f.Line, f.Column, f.Level, f.Rule, f.Match, f.Text)
		}
	}
}
