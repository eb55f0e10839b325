package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"
)

// # The journeys story
//
// Nordtel's departments do not see each other. A year of contacts to
// about 30,000 customers (at scale 1) from billing (a bill every month),
// care (callbacks, "your complaint is resolved"), collections (reminders,
// then warnings), marketing (a quarterly NPS survey) and sales (a loyalty
// offer that skips customers with an open complaint, and the Summer
// Unlimited SMS), with these moments a CX lead should recognise:
//
//   - June: the Summer Unlimited upsell SMS goes on 3 and 10 June to the
//     customers who called care in the 45 days before ("engaged
//     customers") and a quarter of the others: hundreds get an offer while
//     their complaint is open (journey.OfferAfterComplaint, Sales against
//     Customer care). The message has no suppress: [complaint]
//     (saydo.SuppressAfterComplaint).
//   - October: collections chases October's bills without the reminder
//     email: 20 days after the bill (late October and November) late payers
//     get the credit-bureau SMS out of the blue
//     (journey.ThreatWithoutReminder). Billing's suspension letter has no
//     reminder in billing's catalogue at all (saydo.ReminderFirst).
//   - The NPS survey reaches some customers in the middle of a complaint
//     (journey.SurveyDuringComplaint), and the October storm's outage
//     updates pile up on some (journey.TooMany).
//   - Customers an offer reached during an open complaint, or a threat
//     with no reminder, answer the next surveys far worse (about 65%
//     detractors against 28%) and complain again within days (four in ten).
//
// The generator decides who is hurt from its own calendar; saydo finds
// them from the files alone.

// journeyCustomers is the number of customers with contacts at scale 1.
const journeyCustomers = 30000

// journeyMessages are the catalogue messages the contacts name, with the
// journey's front matter; init adds their intents to the canned messages.
var journeyMessages = []cannedMessage{
	{
		ID: "summer-upgrade-sms", Channel: "sms", Department: "sales", Stage: "usage", Lang: "en", Intent: "offer",
		Trigger:   "Summer Unlimited campaign, engaged customers",
		Variables: []string{"first_name"},
		Body:      "Hi {{first_name}}, summer is here: go Unlimited for 5 RON more a month, because you use your data a lot. Reply YES or call 0800 100 200.",
		Flaw:      "an offer with no suppress: [complaint]: it goes to customers whose complaint is still open (saydo.SuppressAfterComplaint)",
	},
	{
		ID: "loyalty-offer-email", Channel: "email", Department: "sales", Stage: "usage", Lang: "en", Intent: "offer", Suppress: []string{"complaint"},
		Trigger:   "Customer for 2 years",
		Variables: []string{"first_name"},
		Body: `Hello {{first_name}},

Thank you for two years with Nordtel. Because you have been with us so long, your next monthly bill will be lower, with nothing to sign.

If you have questions, reply to this email or call 0800 100 200.

Nordtel
`,
	},
	{
		ID: "nps-survey-email", Channel: "email", Department: "marketing", Stage: "usage", Lang: "en", Intent: "survey",
		Trigger:   "Quarterly satisfaction survey",
		Variables: []string{"first_name", "link"},
		Body: `Hello {{first_name}},

How likely are you to recommend Nordtel to a friend? One question, because your answer tells us what to fix first: {{link}}

If something is wrong right now, call us on 0800 100 200 instead.

Nordtel
`,
	},
	{
		ID: "complaint-resolved-email", Channel: "email", Department: "care", Stage: "support", Lang: "en", Intent: "resolution",
		Trigger:   "Complaint closed as resolved",
		Variables: []string{"first_name", "ticket"},
		Body: `Hello {{first_name}},

We have resolved your complaint {{ticket}}, because the fault on your line is fixed. If it is not fixed for you, reply to this email or call 0800 100 200 and we will reopen it.

Ana from Nordtel Customer Care
`,
	},
	{
		ID: "service-suspension-letter", Channel: "letter", Department: "billing", Stage: "billing", Lang: "en", Intent: "warning",
		Trigger:   "Invoice unpaid 45 days after the due date",
		Variables: []string{"first_name", "amount", "deadline"},
		Body: `Dear {{first_name}},

Your bill of {{amount}} RON is 45 days overdue. If it is not paid by {{deadline}}, your service will be suspended, because we cannot keep a line open without payment.

You can pay in the app or call us on 0800 100 200 to agree a plan.

Nordtel Billing
`,
		Flaw: "a warning, and billing's catalogue has no reminder to send before it (saydo.ReminderFirst)",
	},
}

// messageIntents are the intents of the other canned messages.
var messageIntents = map[string]string{
	"overdue-balance-sms": "warning", "overdue-balance-sms-en": "warning", "final-notice-sms": "warning",
	"payment-reminder-email": "reminder", "payment-reminder-sms-ro": "reminder",
	"install-confirmation-sms": "service", "technician-visit-reminder-sms-ro": "service",
	"refund-email": "service", "refund-email-ro": "service", "new-service-fee-email": "service",
	"bill-ready-email": "service", "callback-push": "service", "wait-apology-email-ro": "service",
}

func init() {
	for i := range messages {
		if in, ok := messageIntents[messages[i].ID]; ok {
			messages[i].Intent = in
		}
	}
	messages = append(messages, journeyMessages...)
}

var (
	contactHeader         = []string{"id", "customer", "at", "department", "channel", "intent", "message"}
	journeyFeedbackHeader = []string{"id", "at", "text", "customer", "channel", "kind", "lang", "nps", "department"}
)

type jContact struct {
	at                             time.Time
	cust                           int
	dept, channel, intent, message string
}

type jFeedback struct {
	at               time.Time
	cust             int
	kind, text, lang string
	dept, channel    string
	nps              int // -1: none
}

type jComplaint struct {
	at, closes time.Time
}

// complaintTexts are what customers write, per department complained about.
var complaintTexts = map[string][][2]string{
	"care": {
		{"en", "I have called three times about my internet and nobody solved it."},
		{"ro", "Am sunat de trei ori pentru internet și nimeni nu a rezolvat problema."},
		{"en", "Waited 40 minutes on hold and the line dropped."},
	},
	"billing": {
		{"en", "My bill has a service fee nobody explained."},
		{"ro", "Pe factură am o taxă de serviciu pe care nu mi-a explicat-o nimeni."},
	},
	"field-service": {
		{"en", "The technician did not come on the day you promised."},
		{"ro", "Tehnicianul nu a venit în ziua promisă."},
	},
}

// writeJourneys writes data/contacts.csv (in time order) and
// data/journey-feedback.csv: the complaints and survey answers of the
// customers contacted. It returns the rows of each.
func writeJourneys(contactsPath, feedbackPath string, s span) (int64, int64, error) {
	n := max(200, int(journeyCustomers*s.scale))
	var contacts []jContact
	var feedback []jFeedback
	in := func(t time.Time) bool { return !t.Before(s.first) && t.Before(s.last.AddDate(0, 0, 1)) }
	day := func(m time.Month, d int) time.Time { return time.Date(s.year, m, d, 0, 0, 0, 0, time.UTC) }
	at := func(r *rand.Rand, d time.Time, fromHour, toHour int) time.Time {
		return d.Add(time.Duration(fromHour)*time.Hour + time.Duration(r.IntN((toHour-fromHour)*3600))*time.Second)
	}
	for c := 1; c <= n; c++ {
		r := rand.New(rand.NewPCG(s.seed, 0x0a11ce00+uint64(c)))
		send := func(t time.Time, message string) {
			if in(t) {
				contacts = append(contacts, jContact{at: t, cust: c, message: message})
			}
		}
		// Complaints, more in the summer when care is swamped.
		var complaints []jComplaint
		for m := time.January; m <= time.December; m++ {
			p := 0.02
			if m >= time.June && m <= time.August {
				p = 0.06
			}
			if !bernoulli(r, p) {
				continue
			}
			first := day(m, 1)
			t := at(r, first.AddDate(0, 0, r.IntN(28)), 8, 21)
			dept := []string{"care", "billing", "field-service"}[pick(r, []float64{0.6, 0.25, 0.15})]
			k := jComplaint{at: t, closes: t.Add(30 * 24 * time.Hour)}
			switch u := r.Float64(); {
			case u < 0.55:
				k.closes = t.Add(time.Duration(1+r.IntN(6))*24*time.Hour + time.Duration(r.IntN(8*3600))*time.Second)
			case u < 0.85:
				k.closes = t.Add(time.Duration(12+r.IntN(16))*24*time.Hour + time.Duration(r.IntN(8*3600))*time.Second)
			}
			if k.closes.Before(t.Add(30 * 24 * time.Hour)) {
				send(k.closes, "complaint-resolved-email")
			}
			texts := complaintTexts[dept]
			tx := texts[r.IntN(len(texts))]
			if in(t) {
				feedback = append(feedback, jFeedback{at: t, cust: c, kind: "complaint", text: tx[1], lang: tx[0], dept: dept, channel: "phone", nps: -1})
			}
			complaints = append(complaints, k)
		}
		open := func(t time.Time) bool {
			for _, k := range complaints {
				if !t.Before(k.at) && t.Before(k.closes) {
					return true
				}
			}
			return false
		}
		var hurt []time.Time // when a conflict hurt this customer
		escalate := func(t time.Time, dept, text string) {
			hurt = append(hurt, t)
			if bernoulli(r, 0.4) {
				e := t.Add(time.Duration(2+r.IntN(8))*24*time.Hour + time.Duration(r.IntN(10*3600))*time.Second)
				if in(e) {
					feedback = append(feedback, jFeedback{at: e, cust: c, kind: "complaint", text: text, lang: "en", dept: dept, channel: "email", nps: -1})
				}
			}
		}
		// Billing: a bill every month; collections for late payers.
		billDay := 1 + r.IntN(28)
		late := bernoulli(r, 0.12)
		for m := time.January; m <= time.December; m++ {
			bill := at(r, day(m, billDay), 6, 8)
			send(bill, "bill-ready-email")
			if !late || !bernoulli(r, 0.35) {
				continue
			}
			if m == time.October {
				// The October run skips the reminder.
				w := at(r, bill.AddDate(0, 0, 20).Truncate(24*time.Hour), 9, 12)
				send(w, []string{"overdue-balance-sms", "overdue-balance-sms-en"}[r.IntN(2)])
				if in(w) {
					escalate(w, "collections", "You threatened me with the credit bureau without a single reminder before.")
				}
				continue
			}
			rem := at(r, bill.AddDate(0, 0, 17).Truncate(24*time.Hour), 9, 12)
			send(rem, "payment-reminder-email")
			if bernoulli(r, 0.4) {
				send(at(r, bill.AddDate(0, 0, 27).Truncate(24*time.Hour), 9, 12), "final-notice-sms")
			}
		}
		// Care callbacks.
		for m := time.January; m <= time.December; m++ {
			if bernoulli(r, 0.25) {
				send(at(r, day(m, 1+r.IntN(28)), 8, 20), "callback-push")
			}
		}
		// Sales: the loyalty offer skips open complaints; Summer Unlimited
		// does not, and targets those who called care.
		for m := time.January; m <= time.December; m++ {
			if bernoulli(r, 0.05) {
				t := at(r, day(m, 1+r.IntN(28)), 10, 17)
				if !open(t) {
					send(t, "loyalty-offer-email")
				}
			}
		}
		engaged := false
		for _, k := range complaints {
			if k.at.Before(day(time.June, 3)) && !k.at.Before(day(time.June, 3).AddDate(0, 0, -45)) {
				engaged = true
			}
		}
		if engaged || bernoulli(r, 0.25) {
			for _, d := range []int{3, 10} {
				t := at(r, day(time.June, d), 10, 12)
				if !in(t) {
					continue
				}
				send(t, "summer-upgrade-sms")
				if open(t) {
					escalate(t, "care", "While my complaint was still open you sent me an upgrade offer. Fix my problem first.")
				}
			}
		}
		// The October storm: outage updates by SMS, with no message id.
		storm := s.stormFrom
		if bernoulli(r, 0.12) {
			for i := range 2 + r.IntN(3) {
				t := at(r, storm.AddDate(0, 0, i), 7, 22)
				if in(t) {
					contacts = append(contacts, jContact{at: t, cust: c, dept: "network", channel: "sms", intent: "service"})
				}
			}
		}
		// Marketing's quarterly NPS survey, and the answers.
		for _, q := range []time.Time{day(time.March, 16), day(time.June, 15), day(time.September, 14), day(time.December, 7)} {
			if !bernoulli(r, 0.3) {
				continue
			}
			t := at(r, q.AddDate(0, 0, r.IntN(3)), 9, 12)
			if !in(t) {
				continue
			}
			send(t, "nps-survey-email")
			if !bernoulli(r, 0.4) {
				continue
			}
			ans := t.Add(time.Duration(1+r.IntN(72)) * time.Hour)
			recent := false
			for _, h := range hurt {
				if h.Before(ans) && ans.Sub(h) < 120*24*time.Hour {
					recent = true
				}
			}
			if in(ans) {
				feedback = append(feedback, jFeedback{at: ans, cust: c, kind: "survey", lang: "en", channel: "email", nps: npsScore(r, recent)})
			}
		}
	}
	slices.SortStableFunc(contacts, func(a, b jContact) int { return a.at.Compare(b.at) })
	slices.SortStableFunc(feedback, func(a, b jFeedback) int { return a.at.Compare(b.at) })
	if err := writeCSV(contactsPath, contactHeader, len(contacts), func(i int, rec []string) {
		c := &contacts[i]
		rec[0] = "ct-" + strconv.Itoa(i+1)
		rec[1] = customerID(c.cust)
		rec[2] = c.at.Format(time.RFC3339)
		rec[3], rec[4], rec[5], rec[6] = c.dept, c.channel, c.intent, c.message
	}); err != nil {
		return 0, 0, err
	}
	if err := writeCSV(feedbackPath, journeyFeedbackHeader, len(feedback), func(i int, rec []string) {
		f := &feedback[i]
		rec[0] = "jf-" + strconv.Itoa(i+1)
		rec[1] = f.at.Format(time.RFC3339)
		rec[2], rec[3], rec[4], rec[5], rec[6] = f.text, customerID(f.cust), f.channel, f.kind, f.lang
		rec[7] = ""
		if f.nps >= 0 {
			rec[7] = strconv.Itoa(f.nps)
		}
		rec[8] = f.dept
	}); err != nil {
		return 0, 0, err
	}
	return int64(len(contacts)), int64(len(feedback)), nil
}

func customerID(c int) string { return "cust-" + string(appendPadded(nil, int64(c), 6)) }

// npsScore draws a 0–10 answer: about 38% promoters and 28% detractors
// (NPS +10), or, for a customer a conflict hurt recently, 10% and 65%
// (NPS −55).
func npsScore(r *rand.Rand, hurt bool) int {
	w := []float64{0.28, 0.34, 0.38}
	if hurt {
		w = []float64{0.65, 0.25, 0.10}
	}
	switch pick(r, w) {
	case 0:
		return r.IntN(7)
	case 1:
		return 7 + r.IntN(2)
	}
	return 9 + r.IntN(2)
}

func writeCSV(path string, header []string, n int, row func(i int, rec []string)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	if err := w.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := range n {
		row(i, rec)
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
