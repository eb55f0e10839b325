package demo

import (
	"bufio"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"
)

// What a missed call promise does to Nordtel's customers, by design: of
// the customers who waited more than 2 minutes at least once, 20% are
// promoters and 50% detractors (NPS −30); of the others, 60% and 10% (NPS
// +50). Those who waited complain six times as often and leave three times
// as often. The surveys go out after calls, so only customers who called
// answer them.
const (
	customersPerScale = 150000
	surveyRate        = 0.2
)

var (
	npsMissed = [3]float64{0.20, 0.30, 0.50} // promoters, passives, detractors
	npsKept   = [3]float64{0.60, 0.30, 0.10}
	// complaint and churn probabilities: missed, kept.
	complaintRate = [2]float64{0.06, 0.01}
	churnRate     = [2]float64{0.09, 0.03}

	holdComplaints = map[string][]string{
		"en": {"I waited on hold for ages before anyone answered.", "Nobody answers the phone, I was on hold for 25 minutes.",
			"Your call is important to us, they said, for half an hour."},
		"ro": {"Am așteptat la telefon o veșnicie până mi-a răspuns cineva.", "Nu răspunde nimeni, am stat 25 de minute în așteptare."},
	}
	churnTexts = map[string]string{"en": "Contract cancelled.", "ro": "Contract reziliat."}
)

// callRecord remembers, for each customer, whether they called, whether a
// call waited more than 2 minutes and the day of their last call.
type callRecord struct {
	first  time.Time
	called []bool
	missed []bool
	last   []uint16 // days since first
	digits int
}

func newCallRecord(s span) *callRecord {
	n := max(100, int(customersPerScale*s.scale))
	return &callRecord{first: s.first, called: make([]bool, n), missed: make([]bool, n), last: make([]uint16, n),
		digits: max(6, len(strconv.Itoa(n)))}
}

// caller picks the customer of call seq (a hash of seq, so the demo's other
// random draws are untouched), records the call and appends the
// customer's id to b.
func (c *callRecord) caller(b []byte, seq int64, day time.Time, missed bool) []byte {
	i := int(splitmix(uint64(seq)) % uint64(len(c.called)))
	c.called[i] = true
	if missed {
		c.missed[i] = true
	}
	c.last[i] = uint16(day.Sub(c.first).Hours() / 24)
	return c.id(b, i)
}

func (c *callRecord) id(b []byte, i int) []byte {
	b = append(b, "cust-"...)
	return appendPadded(b, int64(i+1), c.digits)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// writeSurveys writes data/surveys.csv: an NPS answer from a fifth of the
// customers who called, a few days after their last call; complaints about
// holding; and churn events (kind churn), which saydo measures churn from.
// It returns the row count.
func writeSurveys(path string, s span, c *callRecord) (int64, error) {
	r := rand.New(rand.NewPCG(s.seed, 0x5ca1ab1e))
	type row struct {
		at  time.Time
		rec []string
	}
	var rows []row
	add := func(at time.Time, text string, cust int, channel, kind, lang, nps string) {
		if at.After(s.last.Add(23 * time.Hour)) {
			return
		}
		rows = append(rows, row{at, []string{"", at.Format(time.RFC3339), text, string(c.id(nil, cust)), channel, kind, lang, nps, "", "", ""}})
	}
	for i := range c.called {
		if !c.called[i] {
			continue
		}
		k, mix := 1, npsKept
		if c.missed[i] {
			k, mix = 0, npsMissed
		}
		last := c.first.AddDate(0, 0, int(c.last[i])).Add(time.Duration(8*3600+r.IntN(12*3600)) * time.Second)
		lang := "en"
		if bernoulli(r, 0.4) {
			lang = "ro"
		}
		if bernoulli(r, surveyRate) {
			var score int
			switch pick(r, mix[:]) {
			case 0:
				score = 9 + r.IntN(2)
			case 1:
				score = 7 + r.IntN(2)
			default:
				score = r.IntN(7)
			}
			add(last.AddDate(0, 0, 1+r.IntN(3)), "", i, "email", "survey", lang, strconv.Itoa(score))
		}
		if bernoulli(r, complaintRate[k]) {
			add(last.Add(time.Duration(1+r.IntN(48))*time.Hour), oneOf(r, holdComplaints[lang]), i, "phone", "complaint", lang, "")
		}
		if bernoulli(r, churnRate[k]) {
			add(last.AddDate(0, 0, 10+r.IntN(50)), churnTexts[lang], i, "web", "churn", lang, "")
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.at.Compare(b.at) })
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	if err := w.Write(feedbackHeader); err != nil {
		return 0, err
	}
	for i, rw := range rows {
		rw.rec[0] = "sv-" + string(appendPadded(nil, int64(i+1), 6))
		if err := w.Write(rw.rec); err != nil {
			return 0, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return int64(len(rows)), f.Close()
}
