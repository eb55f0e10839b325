package journey

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// Report is what the journey rules found over a span of contacts. The
// conflicts themselves are streamed apart (they can be many); the report
// holds their counts, the trend and examples.
type Report struct {
	// Customers and Contacts count the customers contacted and the
	// contacts in the span.
	Customers int64 `json:"customers"`
	Contacts  int64 `json:"contacts"`
	// Complaints counts the complaints of the span.
	Complaints int64 `json:"complaints"`
	// Conflicts counts every conflict.
	Conflicts int64 `json:"conflicts_total"`
	// ByRule counts conflicts per rule, every rule in force listed.
	ByRule map[string]int64 `json:"by_rule"`
	// ByDepartments counts conflicts per pair: the department that sent
	// the contact and the department of what it conflicts with (null when
	// nothing: a threat with no reminder), most first.
	ByDepartments []DepartmentPair `json:"by_departments"`
	// Rules has, per rule in force, its counts and weekly trend.
	Rules []RuleSummary `json:"rules"`
	// Departments has, per department, the conflicts it caused (it sent
	// the contact) and suffered (its complaint or contact was run over).
	Departments []DepartmentScore `json:"departments"`
	// Examples are customer timelines a person can read, a few per rule.
	Examples []Example `json:"examples"`
}

// DepartmentPair counts the conflicts between two departments.
type DepartmentPair struct {
	Department string  `json:"department"`
	With       *string `json:"with"`
	Count      int64   `json:"count"`
	Customers  int64   `json:"customers"`
}

// RuleSummary is one rule's conflicts.
type RuleSummary struct {
	Rule      string                `json:"rule"`
	Kind      saydo.JourneyRuleKind `json:"kind"`
	Conflicts int64                 `json:"conflicts"`
	Customers int64                 `json:"customers"`
	// ByDepartments counts the rule's conflicts per pair of departments,
	// most first.
	ByDepartments []DepartmentPair `json:"by_departments"`
	// Weeks counts conflicts per ISO week (Monday, UTC), from the first
	// week with a conflict of any rule to the last, empty weeks included;
	// empty when the rule has none.
	Weeks []WeekCount `json:"weeks"`
}

// WeekCount is a count in one ISO week.
type WeekCount struct {
	// Week is the ISO week, 2026-W11; Start its Monday.
	Week  string `json:"week"`
	Start string `json:"start"`
	Count int64  `json:"count"`
}

// Sparkline draws weekly counts as a row of bars, the tallest the busiest
// week; "" for none. The CLI and the dashboard show the trend by week with
// it.
func Sparkline(weeks []WeekCount) string {
	if len(weeks) == 0 {
		return ""
	}
	bars := []rune("▁▂▃▄▅▆▇█")
	var hi int64
	for _, w := range weeks {
		hi = max(hi, w.Count)
	}
	var b strings.Builder
	for _, w := range weeks {
		i := 0
		if hi > 0 {
			i = int(float64(w.Count) / float64(hi) * float64(len(bars)-1))
		}
		b.WriteRune(bars[i])
	}
	return b.String()
}

// DepartmentScore is one department's part in the conflicts.
type DepartmentScore struct {
	Department string `json:"department"`
	Caused     int64  `json:"caused"`
	Suffered   int64  `json:"suffered"`
}

// Example is one customer's timeline around a conflict.
type Example struct {
	Rule     string   `json:"rule"`
	Customer string   `json:"customer"`
	Conflict Conflict `json:"conflict"`
	Timeline []Event  `json:"timeline"`
}

// Event is one moment of a customer's timeline: a complaint or a contact.
type Event struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"` // complaint or contact
	ID   string    `json:"id"`
	// Department, Channel and Intent are the contact's; a complaint has
	// the department it is about, when known.
	Department string       `json:"department,omitempty"`
	Channel    string       `json:"channel,omitempty"`
	Intent     saydo.Intent `json:"intent,omitempty"`
	// Rules lists the rules this contact broke.
	Rules []string `json:"rules,omitempty"`
	// Text reads the event: "22 Mar Sales: offer by SMS".
	Text string `json:"text"`
}

// Tally counts conflicts as they stream by, in memory bounded by the
// customers with conflicts (not by the conflicts or contacts).
type Tally struct {
	rules     []saydo.JourneyRule
	byRule    map[string]int64
	custRule  map[string]*pairCount // customers per rule (n unused)
	pairs     map[[2]string]*pairCount
	rulePairs map[[3]string]*pairCount   // rule, department, with
	weeks     map[string]map[int64]int64 // rule -> Monday (Unix days) -> count
	caused    map[string]int64
	suffered  map[string]int64
	total     int64
	examples  map[[3]string][]Conflict // by rule, department, with
	exampleBy map[[2]string]bool       // rule and customer already an example
	perRule   int
	// Distinct customers per set: customers are numbered once, and a
	// set's member is its number with the customer's, one integer.
	custID map[string]uint32
	seen   map[uint64]struct{}
	sets   uint32
}

// pairCount counts the conflicts and the distinct customers of one set.
type pairCount struct {
	n         int64
	set       uint32
	customers int64
}

// count is the set's distinct customers; 0 for no set.
func (p *pairCount) count() int64 {
	if p == nil {
		return 0
	}
	return p.customers
}

func (t *Tally) newSet() *pairCount {
	t.sets++
	return &pairCount{set: t.sets}
}

// addCustomer counts customer id in p if it is new there.
func (t *Tally) addCustomer(p *pairCount, id uint32) {
	k := uint64(p.set)<<32 | uint64(id)
	if _, ok := t.seen[k]; !ok {
		t.seen[k] = struct{}{}
		p.customers++
	}
}

// NewTally starts counting for the rules in force, keeping up to perRule
// example conflicts per rule (of distinct customers).
func NewTally(rules []saydo.JourneyRule, perRule int) *Tally {
	t := &Tally{rules: rules, byRule: map[string]int64{}, custRule: map[string]*pairCount{}, custID: map[string]uint32{}, seen: map[uint64]struct{}{},
		pairs: map[[2]string]*pairCount{}, rulePairs: map[[3]string]*pairCount{}, weeks: map[string]map[int64]int64{}, caused: map[string]int64{},
		suffered: map[string]int64{}, examples: map[[3]string][]Conflict{}, exampleBy: map[[2]string]bool{}, perRule: perRule}
	for _, r := range rules {
		t.byRule[r.ID] = 0
	}
	return t
}

const nullDepartment = "\x00"

// Add counts one conflict.
func (t *Tally) Add(c *Conflict) {
	t.total++
	t.byRule[c.Rule]++
	id, ok := t.custID[c.Customer]
	if !ok {
		id = uint32(len(t.custID))
		t.custID[c.Customer] = id
	}
	cr := t.custRule[c.Rule]
	if cr == nil {
		cr = t.newSet()
		t.custRule[c.Rule] = cr
	}
	t.addCustomer(cr, id)
	with := nullDepartment
	if c.With != nil && c.With.Department != "" {
		with = c.With.Department
		t.suffered[with]++
	}
	t.caused[c.Department]++
	key := [2]string{c.Department, with}
	p := t.pairs[key]
	if p == nil {
		p = t.newSet()
		t.pairs[key] = p
	}
	p.n++
	t.addCustomer(p, id)
	rk := [3]string{c.Rule, c.Department, with}
	rp := t.rulePairs[rk]
	if rp == nil {
		rp = t.newSet()
		t.rulePairs[rk] = rp
	}
	rp.n++
	t.addCustomer(rp, id)
	w := t.weeks[c.Rule]
	if w == nil {
		w = map[int64]int64{}
		t.weeks[c.Rule] = w
	}
	w[saydo.Week.Start(c.At).Unix()/86400]++
	// A few examples of every pair of departments: the report shows those
	// of the pairs with the most conflicts.
	if len(t.examples[rk]) < t.perRule && !t.exampleBy[[2]string{c.Rule, c.Customer}] {
		t.exampleBy[[2]string{c.Rule, c.Customer}] = true
		cp := *c
		if c.Contact != nil {
			id := *c.Contact
			cp.Contact = &id
		}
		if c.With != nil {
			w := *c.With
			cp.With = &w
		}
		t.examples[rk] = append(t.examples[rk], cp)
	}
}

// ForgetCustomers tells the tally that the customers of the conflicts
// added so far have no more: it counts distinct customers per set without
// keeping them. A report that judges customers in disjoint groups (the
// buckets of contact packs) calls it between groups.
func (t *Tally) ForgetCustomers() {
	clear(t.custID)
	clear(t.seen)
}

// ExampleConflicts returns up to perRule example conflicts per rule, in
// rule order, from the rule's department pairs with the most conflicts
// first: the examples show what mostly happens.
func (t *Tally) ExampleConflicts() []Conflict {
	type pair struct {
		key [3]string
		n   int64
	}
	byRule := map[string][]pair{}
	for k, p := range t.rulePairs {
		byRule[k[0]] = append(byRule[k[0]], pair{k, p.n})
	}
	var out []Conflict
	for _, r := range t.rules {
		ps := byRule[r.ID]
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].n != ps[j].n {
				return ps[i].n > ps[j].n
			}
			return ps[i].key[1]+"\x00"+ps[i].key[2] < ps[j].key[1]+"\x00"+ps[j].key[2]
		})
		n := 0
		for _, p := range ps {
			for _, c := range t.examples[p.key] {
				if n == t.perRule {
					break
				}
				out = append(out, c)
				n++
			}
		}
	}
	return out
}

// Report returns the counts; the caller fills Customers, Contacts,
// Complaints and Examples.
func (t *Tally) Report() *Report {
	r := &Report{Conflicts: t.total, ByRule: t.byRule, ByDepartments: []DepartmentPair{}, Rules: []RuleSummary{}, Departments: []DepartmentScore{}, Examples: []Example{}}
	for k, p := range t.pairs {
		r.ByDepartments = append(r.ByDepartments, newPair(k[0], k[1], p))
	}
	sortPairs(r.ByDepartments)
	perRule := map[string][]DepartmentPair{}
	for k, p := range t.rulePairs {
		perRule[k[0]] = append(perRule[k[0]], newPair(k[1], k[2], p))
	}
	// Every rule's weeks run over the same span, so they line up.
	lo, hi := int64(1<<62), int64(-1<<62)
	for _, w := range t.weeks {
		for d := range w {
			lo, hi = min(lo, d), max(hi, d)
		}
	}
	for _, rule := range t.rules {
		s := RuleSummary{Rule: rule.ID, Kind: rule.Kind, Conflicts: t.byRule[rule.ID], Customers: t.custRule[rule.ID].count(),
			ByDepartments: perRule[rule.ID], Weeks: []WeekCount{}}
		if s.ByDepartments == nil {
			s.ByDepartments = []DepartmentPair{}
		}
		sortPairs(s.ByDepartments)
		if w := t.weeks[rule.ID]; len(w) > 0 {
			for d := lo; d <= hi; d += 7 {
				start := time.Unix(d*86400, 0).UTC()
				y, wk := start.ISOWeek()
				s.Weeks = append(s.Weeks, WeekCount{Week: fmt.Sprintf("%d-W%02d", y, wk), Start: start.Format(time.DateOnly), Count: w[d]})
			}
		}
		r.Rules = append(r.Rules, s)
	}
	depts := map[string]bool{}
	for d := range t.caused {
		depts[d] = true
	}
	for d := range t.suffered {
		depts[d] = true
	}
	for d := range depts {
		r.Departments = append(r.Departments, DepartmentScore{Department: d, Caused: t.caused[d], Suffered: t.suffered[d]})
	}
	sort.Slice(r.Departments, func(i, j int) bool {
		a, b := r.Departments[i], r.Departments[j]
		if a.Caused+a.Suffered != b.Caused+b.Suffered {
			return a.Caused+a.Suffered > b.Caused+b.Suffered
		}
		return a.Department < b.Department
	})
	return r
}

func newPair(dept, with string, p *pairCount) DepartmentPair {
	dp := DepartmentPair{Department: dept, Count: p.n, Customers: p.customers}
	if with != nullDepartment {
		dp.With = &with
	}
	return dp
}

func sortPairs(ps []DepartmentPair) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Department != b.Department {
			return a.Department < b.Department
		}
		return deref(a.With) < deref(b.With)
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Timeline builds a readable timeline of one customer from the contacts
// and complaints around a conflict, marking the contacts that broke rules
// (conflicts of that customer). names maps department ids to names.
func BuildTimeline(contacts []saydo.Contact, complaints []saydo.Complaint, conflicts []Conflict, names map[string]string) []Event {
	broke := map[string][]string{}
	for _, c := range conflicts {
		if c.Contact != nil {
			broke[*c.Contact] = append(broke[*c.Contact], c.Rule)
		}
	}
	var out []Event
	for _, k := range complaints {
		text := day(k.At) + " complaint"
		if k.Department != "" {
			text += " about " + deptName(names, k.Department)
		}
		out = append(out, Event{At: k.At, Kind: "complaint", ID: k.ID, Department: k.Department, Text: text})
	}
	for i := range contacts {
		c := &contacts[i]
		id := ContactID(c)
		text := fmt.Sprintf("%s %s: %s by %s", day(c.At), deptName(names, c.Department), c.Intent, channelName(c.Channel))
		if c.Message != "" {
			text += " (" + c.Message + ")"
		}
		rules := broke[id]
		if len(rules) > 0 {
			short := make([]string, len(rules))
			for i, r := range rules {
				short[i] = strings.TrimPrefix(r, "journey.")
			}
			text += "  ← " + strings.Join(short, ", ")
		}
		out = append(out, Event{At: c.At, Kind: "contact", ID: id, Department: c.Department, Channel: c.Channel, Intent: c.Intent, Rules: rules, Text: text})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].Kind == "complaint" && out[j].Kind != "complaint"
	})
	return out
}

func day(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

func deptName(names map[string]string, id string) string {
	if n, ok := names[id]; ok && n != "" {
		return n
	}
	return id
}

func channelName(ch string) string {
	switch ch {
	case "sms":
		return "SMS"
	case "voice":
		return "phone"
	}
	return ch
}
