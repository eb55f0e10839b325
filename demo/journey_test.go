package demo

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
)

func readRecords(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[0], recs[1:]
}

// TestJourneyStory runs the journey rules over the demo's contacts and
// complaints and checks the story the journeys section tells: the summer
// upsell and the October collections run make the conflicts, between the
// departments the story names, and the customers concerned answer worse.
func TestJourneyStory(t *testing.T) {
	w := nordtel(t)
	byID := map[string]cannedMessage{}
	for _, m := range messages {
		byID[m.ID] = m
	}
	_, rows := readRecords(t, w.Contacts)
	if len(rows) < 300000 {
		t.Errorf("%d contacts, want hundreds of thousands", len(rows))
	}
	var contacts []saydo.Contact
	customers := map[string]bool{}
	for i, r := range rows {
		at, err := time.Parse(time.RFC3339, r[2])
		if err != nil {
			t.Fatal(err)
		}
		c := saydo.Contact{Key: uint64(i), SourceID: r[0], Customer: r[1], At: at, Department: r[3], Channel: r[4], Intent: saydo.Intent(r[5]), Message: r[6]}
		if m, ok := byID[c.Message]; ok {
			c.Department, c.Channel, c.Intent = m.Department, m.Channel, saydo.Intent(m.Intent)
		} else if c.Message != "" {
			t.Fatalf("contact %s names message %q, not in the catalogue", c.SourceID, c.Message)
		}
		if c.Department == "" || c.Channel == "" || !saydo.ValidIntent(string(c.Intent)) {
			t.Fatalf("contact %v: incomplete", r)
		}
		customers[c.Customer] = true
		contacts = append(contacts, c)
	}
	if len(customers) < 10000 {
		t.Errorf("%d customers, want tens of thousands", len(customers))
	}
	var complaints []saydo.Complaint
	nps := map[string][]struct {
		at    time.Time
		score int
	}{}
	for _, path := range []string{w.JourneyFeedback, w.Feedback} {
		h, rows := readRecords(t, path)
		col := map[string]int{}
		for i, n := range h {
			col[n] = i
		}
		for _, r := range rows {
			at, _ := time.Parse(time.RFC3339, r[col["at"]])
			cust := r[col["customer"]]
			if r[col["kind"]] == "complaint" && cust != "" {
				k := saydo.Complaint{ID: r[col["id"]], Customer: cust, At: at}
				if i, ok := col["department"]; ok {
					k.Department = r[i]
				}
				complaints = append(complaints, k)
			}
			if s := r[col["nps"]]; s != "" && path == w.JourneyFeedback {
				v, _ := strconv.Atoi(s)
				nps[cust] = append(nps[cust], struct {
					at    time.Time
					score int
				}{at, v})
			}
		}
	}
	conflicts := journey.New(saydo.DefaultJourneys()).Judge(contacts, complaints)
	type key struct{ rule, month, message string }
	count := map[key]int{}
	byRule := map[string]int{}
	hurt := map[string]time.Time{}
	msgOf := map[string]string{}
	for _, c := range contacts {
		msgOf[c.SourceID] = c.Message
	}
	for _, c := range conflicts {
		byRule[c.Rule]++
		count[key{c.Rule, c.At.Format("2006-01"), msgOf[*c.Contact]}]++
		if c.Rule == saydo.RuleOfferAfterComplaint || c.Rule == saydo.RuleThreatWithoutReminder {
			if t0, ok := hurt[c.Customer]; !ok || c.At.Before(t0) {
				hurt[c.Customer] = c.At
			}
		}
	}
	t.Logf("conflicts by rule: %v", byRule)
	if n, all := count[key{saydo.RuleOfferAfterComplaint, "2026-06", "summer-upgrade-sms"}], byRule[saydo.RuleOfferAfterComplaint]; n*2 < all || n < 200 {
		t.Errorf("offers during complaints: %d of %d from the June Summer Unlimited SMS; want most, and hundreds", n, all)
	}
	// October's bills, chased 20 days later: the SMS go out in October and November.
	october := 0
	for _, month := range []string{"2026-10", "2026-11"} {
		for _, m := range []string{"overdue-balance-sms", "overdue-balance-sms-en"} {
			october += count[key{saydo.RuleThreatWithoutReminder, month, m}]
		}
	}
	if all := byRule[saydo.RuleThreatWithoutReminder]; october*10 < all*9 || october < 300 {
		t.Errorf("threats without a reminder: %d of %d from the October run; want nearly all, and hundreds", october, all)
	}
	if byRule[saydo.RuleSurveyDuringComplaint] == 0 || byRule[saydo.RuleTooMany] == 0 {
		t.Errorf("want some surveys during complaints and some customers contacted too often: %v", byRule)
	}
	// The customers concerned answer worse afterwards.
	var hurtN, hurtDet, otherN, otherDet int
	for cust, answers := range nps {
		t0, isHurt := hurt[cust]
		for _, a := range answers {
			switch {
			case isHurt && a.at.After(t0) && a.at.Sub(t0) < 120*24*time.Hour:
				hurtN++
				if a.score <= 6 {
					hurtDet++
				}
			case !isHurt:
				otherN++
				if a.score <= 6 {
					otherDet++
				}
			}
		}
	}
	if hurtN < 100 || float64(hurtDet)/float64(hurtN) < 1.5*float64(otherDet)/float64(otherN) {
		t.Errorf("detractors afterwards: %d of %d hurt customers' answers against %d of %d others'; want far more among the hurt", hurtDet, hurtN, otherDet, otherN)
	}
}
