package demo

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// feedbackRow is one parsed line of feedback.csv.
type feedbackRow struct {
	at                    time.Time
	text, lang, kind      string
	nps, csat, ces        int // -1 when absent
	channel, region, cust string
}

func readFeedback(t *testing.T, path string) []feedbackRow {
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
	if got, want := strings.Join(recs[0], ","), strings.Join(feedbackHeader, ","); got != want {
		t.Fatalf("header = %q, want %q", got, want)
	}
	score := func(line int, s string, lo, hi int) int {
		if s == "" {
			return -1
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			t.Fatalf("line %d: score %q not in [%d, %d]", line, s, lo, hi)
		}
		return n
	}
	ids := map[string]bool{}
	var out []feedbackRow
	for i, r := range recs[1:] {
		line := i + 2
		if ids[r[0]] || !strings.HasPrefix(r[0], "fb-") {
			t.Fatalf("line %d: id %q duplicate or malformed", line, r[0])
		}
		ids[r[0]] = true
		at, err := time.Parse(time.RFC3339, r[1])
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		if r[2] == "" || !utf8.ValidString(r[2]) {
			t.Fatalf("line %d: empty or invalid text %q", line, r[2])
		}
		out = append(out, feedbackRow{
			at: at, text: r[2], cust: r[3], channel: r[4], kind: r[5], lang: r[6],
			nps: score(line, r[7], 0, 10), csat: score(line, r[8], 1, 5), ces: score(line, r[9], 1, 7), region: r[10],
		})
	}
	return out
}

// Independent keyword patterns for the themes, in both languages and all
// three ways of writing Romanian.
var (
	holdRE    = regexp.MustCompile(`(?i)on hold|hold music|queue|nobody answer|on the line|a human|a[sșş]teptare|la coad|nu a r[aă]spuns nimeni|nu mai r[aă]spunde nimeni`)
	installRE = regexp.MustCompile(`(?i)installation|installer|not connected|instal[aă]rii|instalarea|instalatorul|nu sunt conectat`)
	feeRE     = regexp.MustCompile(`(?i)\bfee\b|fees|tax[aăe]`)
	visitRE   = regexp.MustCompile(`(?i)SMS|text the day|message about|what time someone|mesaj|ora vizitei`)
	shopRE    = regexp.MustCompile(`(?i)shop staff|in the shop|in the store|magazin`)
	praiseRE  = regexp.MustCompile(`(?i)Happy with Nordtel|rock solid|Impressed|lovely|polite|friendly|Bravo!|perfect|amabil|politicos|mul[tțţ]umit de`)
)

func TestFeedback(t *testing.T) {
	w := nordtel(t)
	rows := readFeedback(t, w.Feedback)
	if int64(len(rows)) != w.FeedbackRows {
		t.Errorf("rows in file = %d, Written.FeedbackRows = %d", len(rows), w.FeedbackRows)
	}
	perMonth := func(re *regexp.Regexp) map[time.Month]int {
		m := map[time.Month]int{}
		for _, r := range rows {
			if re.MatchString(r.text) {
				m[r.at.Month()]++
			}
		}
		return m
	}
	hold, install, fee := perMonth(holdRE), perMonth(installRE), perMonth(feeRE)
	visit, shop := perMonth(visitRE), perMonth(shopRE)
	count := func(f func(r feedbackRow) bool) int {
		n := 0
		for _, r := range rows {
			if f(r) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name  string
		check func() error
	}{
		{"about six thousand items", func() error {
			if len(rows) < 5000 || len(rows) > 7000 {
				return fmt.Errorf("items = %d, want about 6000", len(rows))
			}
			return nil
		}},
		{"60/40 English and Romanian", func() error {
			ro := float64(count(func(r feedbackRow) bool { return r.lang == "ro" })) / float64(len(rows))
			en := float64(count(func(r feedbackRow) bool { return r.lang == "en" })) / float64(len(rows))
			if ro < 0.35 || ro > 0.45 || en+ro != 1 {
				return fmt.Errorf("en %.2f, ro %.2f", en, ro)
			}
			return nil
		}},
		{"Romanian written three ways", func() error {
			comma := count(func(r feedbackRow) bool { return strings.ContainsAny(r.text, "șț") })
			cedilla := count(func(r feedbackRow) bool { return strings.ContainsAny(r.text, "şţ") })
			plain := count(func(r feedbackRow) bool {
				return r.lang == "ro" && !strings.ContainsAny(r.text, "ăâîșțşţĂÂÎȘȚŞŢ")
			})
			if comma < 500 || cedilla < 100 || plain < 400 {
				return fmt.Errorf("comma-below %d, cedilla %d, no diacritics %d", comma, cedilla, plain)
			}
			return nil
		}},
		{"hold complaints spike in the campaign", func() error {
			spring := hold[time.March] + hold[time.April] + hold[time.May]
			summer := hold[time.June] + hold[time.July] + hold[time.August]
			if summer < 4*spring {
				return fmt.Errorf("hold mentions: spring %d, summer %d", spring, summer)
			}
			return nil
		}},
		{"installation complaints fall after the fix", func() error {
			summer := install[time.July] + install[time.August]
			autumn := install[time.November] + install[time.December]
			if autumn*3 > summer {
				return fmt.Errorf("installation mentions: July–August %d, November–December %d", summer, autumn)
			}
			return nil
		}},
		{"surprise fee complaints grow", func() error {
			q1 := fee[time.January] + fee[time.February] + fee[time.March]
			q4 := fee[time.October] + fee[time.November] + fee[time.December]
			if q4 < 3*q1 {
				return fmt.Errorf("fee mentions: Q1 %d, Q4 %d", q1, q4)
			}
			return nil
		}},
		{"unmet expectations recur every month", func() error {
			for m := time.January; m <= time.December; m++ {
				if visit[m] < 5 || shop[m] < 5 {
					return fmt.Errorf("%s: visit confirmation %d, pushy shop %d", m, visit[m], shop[m])
				}
			}
			return nil
		}},
		{"anger, effort and sarcasm", func() error {
			for _, s := range []string{"FIFTH time I call", "I'm done, cancelling", "Transferred three times",
				"Your call is important to us", "Great, another delay", "CINCEA"} {
				if count(func(r feedbackRow) bool { return strings.Contains(r.text, s) }) == 0 {
					return fmt.Errorf("no item says %q", s)
				}
			}
			return nil
		}},
		{"scores fit the sentiment", func() error {
			for _, r := range rows {
				switch {
				case r.nps >= 0 && r.kind != "survey":
					return fmt.Errorf("nps on a %s: %q", r.kind, r.text)
				case praiseRE.MatchString(r.text) && (r.nps >= 0 && r.nps < 8 || r.csat >= 0 && r.csat < 4):
					return fmt.Errorf("praise with nps %d, csat %d: %q", r.nps, r.csat, r.text)
				case praiseRE.MatchString(r.text) && r.kind == "complaint":
					return fmt.Errorf("praise filed as a complaint: %q", r.text)
				case holdRE.MatchString(r.text) && (r.nps > 4 || r.csat > 3):
					return fmt.Errorf("hold complaint with nps %d, csat %d: %q", r.nps, r.csat, r.text)
				}
			}
			surveys := count(func(r feedbackRow) bool { return r.kind == "survey" })
			withCSAT := count(func(r feedbackRow) bool { return r.csat > 0 })
			if surveys < 1000 || withCSAT < 1000 {
				return fmt.Errorf("surveys %d, with csat %d", surveys, withCSAT)
			}
			return nil
		}},
		{"segments and kinds", func() error {
			for _, r := range rows {
				if !slices.Contains(regions, r.region) || !slices.Contains(kinds, r.kind) || r.channel == "" || r.cust == "" {
					return fmt.Errorf("bad row: %+v", r)
				}
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFill(t *testing.T) {
	r := newTestRand()
	tests := []struct{ in, want string }{
		{"no slots", "no slots"},
		{"{x} and {x}", "a and a"},
		{"{unknown} stays", "{unknown} stays"},
		{"broken {x", "broken {x"},
	}
	for _, tt := range tests {
		if got := fill(r, tt.in, map[string][]string{"x": {"a"}}); got != tt.want {
			t.Errorf("fill(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
