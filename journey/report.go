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
	rules   []saydo.JourneyRule
	total   int64
	perRule int
	byRule  map[string]*ruleTally
	// stats has a conflict's counters by its rule, department and the
	// department of what it conflicts with: one lookup a conflict.
	stats     map[tallyKey]*pairTally
	pairs     map[[2]string]*pairCount
	depts     map[string]*deptTally
	exampleBy map[[2]string]bool // rule and customer already an example
	// Distinct customers per set: customers are numbered once, and a
	// set's member is its number with the customer's, one integer.
	custID   map[string]uint32
	seen     map[uint64]struct{}
	sets     uint32
	lastCust string // the customer of the last conflict, and its number
	lastID   uint32
}

type tallyKey struct{ rule, dept, with string }

// ruleTally is one rule's conflicts.
type ruleTally struct {
	customers pairCount
	weeks     map[int64]int64 // Monday (Unix days) -> count
}

// pairTally is the conflicts of one rule between two departments.
type pairTally struct {
	pairCount
	rule     *ruleTally
	pair     *pairCount
	caused   *deptTally
	suffered *deptTally // nil when with is null
	examples []Conflict
}

type deptTally struct{ caused, suffered int64 }

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

func (t *Tally) newSet() pairCount {
	t.sets++
	return pairCount{set: t.sets}
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
	t := &Tally{rules: rules, byRule: map[string]*ruleTally{}, stats: map[tallyKey]*pairTally{}, pairs: map[[2]string]*pairCount{},
		depts: map[string]*deptTally{}, exampleBy: map[[2]string]bool{}, custID: map[string]uint32{}, seen: map[uint64]struct{}{}, perRule: perRule}
	for _, r := range rules {
		t.byRule[r.ID] = &ruleTally{customers: t.newSet(), weeks: map[int64]int64{}}
	}
	return t
}

const nullDepartment = "\x00"

func (t *Tally) dept(d string) *deptTally {
	x := t.depts[d]
	if x == nil {
		x = &deptTally{}
		t.depts[d] = x
	}
	return x
}

// stat returns the counters of a conflict of rule by dept with with.
func (t *Tally) stat(rule, dept, with string) *pairTally {
	k := tallyKey{rule, dept, with}
	if st := t.stats[k]; st != nil {
		return st
	}
	rt := t.byRule[rule]
	if rt == nil { // a rule not in force: counted all the same
		rt = &ruleTally{customers: t.newSet(), weeks: map[int64]int64{}}
		t.byRule[rule] = rt
	}
	pk := [2]string{dept, with}
	p := t.pairs[pk]
	if p == nil {
		p = &pairCount{}
		*p = t.newSet()
		t.pairs[pk] = p
	}
	st := &pairTally{pairCount: t.newSet(), rule: rt, pair: p, caused: t.dept(dept)}
	if with != nullDepartment {
		st.suffered = t.dept(with)
	}
	t.stats[k] = st
	return st
}

// Add counts one conflict.
func (t *Tally) Add(c *Conflict) {
	t.total++
	id := t.lastID
	if c.Customer != t.lastCust || t.total == 1 {
		var ok bool
		if id, ok = t.custID[c.Customer]; !ok {
			id = uint32(len(t.custID))
			t.custID[c.Customer] = id
		}
		t.lastCust, t.lastID = c.Customer, id
	}
	with := nullDepartment
	if c.With != nil && c.With.Department != "" {
		with = c.With.Department
	}
	st := t.stat(c.Rule, c.Department, with)
	st.n++
	st.pair.n++
	st.caused.caused++
	if st.suffered != nil {
		st.suffered.suffered++
	}
	rt := st.rule
	rt.customers.n++
	t.addCustomer(&rt.customers, id)
	t.addCustomer(st.pair, id)
	t.addCustomer(&st.pairCount, id)
	rt.weeks[mondayDays(c.At)]++
	// A few examples of every pair of departments: the report shows those
	// of the pairs with the most conflicts.
	if len(st.examples) < t.perRule && !t.exampleBy[[2]string{c.Rule, c.Customer}] {
		t.exampleBy[[2]string{c.Rule, c.Customer}] = true
		st.examples = append(st.examples, c.Copy())
	}
}

// mondayDays returns the Monday of t's ISO week (UTC) in days since the
// Unix epoch, a Thursday.
func mondayDays(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	wd := (d + 3) % 7 // 0 on Mondays
	if wd < 0 {
		wd += 7
	}
	return d - wd
}

// ForgetCustomers tells the tally that the customers of the conflicts
// added so far have no more: it counts distinct customers per set without
// keeping them. A report that judges customers in disjoint groups (the
// buckets of contact packs) calls it between groups.
func (t *Tally) ForgetCustomers() {
	clear(t.custID)
	clear(t.seen)
	t.lastCust = ""
}

// Merge adds o's counts to t. The customers of their conflicts must be
// disjoint (two judges of different buckets of customers): distinct
// customers add up. t keeps its examples first, then o's, up to perRule a
// pair of departments.
func (t *Tally) Merge(o *Tally) {
	t.total += o.total
	for id, ort := range o.byRule {
		trt := t.byRule[id]
		if trt == nil {
			trt = &ruleTally{customers: t.newSet(), weeks: map[int64]int64{}}
			t.byRule[id] = trt
		}
		trt.customers.n += ort.customers.n
		trt.customers.customers += ort.customers.customers
		for d, n := range ort.weeks {
			trt.weeks[d] += n
		}
	}
	for k, ost := range o.stats {
		tst := t.stat(k.rule, k.dept, k.with)
		tst.n += ost.n
		tst.customers += ost.customers
		for _, c := range ost.examples {
			if len(tst.examples) < t.perRule {
				tst.examples = append(tst.examples, c)
			}
		}
	}
	for k, op := range o.pairs {
		tp := t.pairs[k] // made by t.stat above
		tp.n += op.n
		tp.customers += op.customers
	}
	for d, x := range o.depts {
		td := t.dept(d)
		td.caused += x.caused
		td.suffered += x.suffered
	}
}

// ExampleConflicts returns up to perRule example conflicts per rule, in
// rule order, from the rule's department pairs with the most conflicts
// first: the examples show what mostly happens.
func (t *Tally) ExampleConflicts() []Conflict {
	type pair struct {
		key tallyKey
		st  *pairTally
	}
	byRule := map[string][]pair{}
	for k, st := range t.stats {
		byRule[k.rule] = append(byRule[k.rule], pair{k, st})
	}
	var out []Conflict
	for _, r := range t.rules {
		ps := byRule[r.ID]
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].st.n != ps[j].st.n {
				return ps[i].st.n > ps[j].st.n
			}
			return ps[i].key.dept+"\x00"+ps[i].key.with < ps[j].key.dept+"\x00"+ps[j].key.with
		})
		n := 0
		for _, p := range ps {
			for _, c := range p.st.examples {
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
	r := &Report{Conflicts: t.total, ByRule: map[string]int64{}, ByDepartments: []DepartmentPair{}, Rules: []RuleSummary{}, Departments: []DepartmentScore{}, Examples: []Example{}}
	for id, rt := range t.byRule {
		r.ByRule[id] = rt.customers.n
	}
	for k, p := range t.pairs {
		r.ByDepartments = append(r.ByDepartments, newPair(k[0], k[1], p))
	}
	sortPairs(r.ByDepartments)
	perRule := map[string][]DepartmentPair{}
	for k, st := range t.stats {
		perRule[k.rule] = append(perRule[k.rule], newPair(k.dept, k.with, &st.pairCount))
	}
	// Every rule's weeks run over the same span, so they line up.
	lo, hi := int64(1<<62), int64(-1<<62)
	for _, rt := range t.byRule {
		for d := range rt.weeks {
			lo, hi = min(lo, d), max(hi, d)
		}
	}
	for _, rule := range t.rules {
		rt := t.byRule[rule.ID]
		s := RuleSummary{Rule: rule.ID, Kind: rule.Kind, Conflicts: rt.customers.n, Customers: rt.customers.count(),
			ByDepartments: perRule[rule.ID], Weeks: []WeekCount{}}
		if s.ByDepartments == nil {
			s.ByDepartments = []DepartmentPair{}
		}
		sortPairs(s.ByDepartments)
		if len(rt.weeks) > 0 {
			for d := lo; d <= hi; d += 7 {
				start := time.Unix(d*86400, 0).UTC()
				y, wk := start.ISOWeek()
				s.Weeks = append(s.Weeks, WeekCount{Week: fmt.Sprintf("%d-W%02d", y, wk), Start: start.Format(time.DateOnly), Count: rt.weeks[d]})
			}
		}
		r.Rules = append(r.Rules, s)
	}
	for d, x := range t.depts {
		r.Departments = append(r.Departments, DepartmentScore{Department: d, Caused: x.caused, Suffered: x.suffered})
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
