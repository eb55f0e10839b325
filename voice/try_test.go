package voice

import (
	"github.com/saydo/saydo"
	"testing"
)

func TestTry(t *testing.T) {
	ps := []saydo.Promise{{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds", Voice: map[string][]string{"en": {"on hold", "nobody answers", "waited for ages"}, "ro": {"în așteptare", "nu răspunde nimeni"}}},
		{ID: "install-in-3-days", Says: "Your internet is installed within 3 days of ordering.", Metric: "install_days"},
		{ID: "fair-bill", Says: "Your bill is exactly what we agreed.", Metric: "bill_correct"}}
	a := New(ps, Options{})
	for _, s := range []string{"I have called five times and nobody picks up the phone!!", "Great, another delay.", "Thanks for nothing", "The service was great and quick", "Nu răspunde nimeni la telefon de o oră, bătaie de joc!", "Nu raspunde nimeni la telefon", "Tehnicianul nu a venit nici după o săptămână pentru instalare", "your call is important to us... I was on hold for an hour then transferred to another department", "I am FURIOUS, this is unacceptable!!", "Mulțumesc, totul a fost perfect", "Factura e greșită, m-au taxat de două ori", "the technician still hasn't come to install my internet", "I was not unhappy with the help"} {
		an, l := a.analyze(s, "")
		t.Logf("%s | %s %+.2f %s anger=%v effort=%v %+v", s, l, an.Sentiment, an.Label, an.Anger, an.Effort, an.Promises)
	}
}
