// Package journey finds conflicts in a customer's journey across
// departments: an offer while a complaint is open, a threat with no
// reminder before it, a survey in the middle of a complaint, too many
// contacts in a week. It is pure computation over one customer's timeline
// at a time, in time order, so the same rules judge a year of stored
// contacts (a report) and one contact about to be sent (the check).
//
// Time semantics, the same for every rule:
//   - A complaint is open over [At, end), where end is the earlier of
//     At + open days and the first resolution contact to the customer at
//     or after At: an offer at the same instant as the resolution is not
//     during the complaint; one at the instant of the complaint is.
//   - WithoutPrior wants a prior contact at p with
//     At - window_days <= p <= At - lead_days (both ends included).
//   - TooMany counts the contacts in (At - window_days, At], the contact
//     itself included: with window_days 7, a contact exactly 7 days
//     earlier has left the window.
//   - Days are 24 hours and times are instants: time zones in the input
//     change nothing.
//   - Contacts at one instant are judged together: a resolution closes a
//     complaint for every contact of its instant, whatever their order.
package journey

import (
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/saydo/saydo"
)

// Conflict is one contact that breaks a journey rule.
type Conflict struct {
	Rule     string `json:"rule"`
	Customer string `json:"customer"`
	// Contact is the offending contact's id (its source id, or its key);
	// nil for a contact not sent yet (the check before a send).
	Contact    *string      `json:"contact"`
	At         time.Time    `json:"at"`
	Department string       `json:"department"`
	Channel    string       `json:"channel"`
	Intent     saydo.Intent `json:"intent"`
	// Message is the catalogue message sent, when known.
	Message string `json:"message,omitempty"`
	// With is the complaint or contact it conflicts with; nil for
	// WithoutPrior, where what is missing is the point.
	With *With `json:"with"`
}

// Copy returns a copy of the conflict that shares nothing with it (emit
// receives one valid only during the call).
func (c *Conflict) Copy() Conflict {
	cp := *c
	if c.Contact != nil {
		id := *c.Contact
		cp.Contact = &id
	}
	if c.With != nil {
		w := *c.With
		cp.With = &w
	}
	return cp
}

// With is what a conflict is in conflict with.
type With struct {
	// Kind is "complaint" or "contact".
	Kind       string       `json:"kind"`
	ID         string       `json:"id"`
	At         time.Time    `json:"at"`
	Department string       `json:"department"`
	Intent     saydo.Intent `json:"intent,omitempty"`
}

// ContactID returns the id a report shows for a contact: its source id,
// or its key in decimal.
func ContactID(c *saydo.Contact) string { return contactID(c.SourceID, c.Key) }

func contactID(sourceID string, key uint64) string {
	if sourceID != "" {
		return sourceID
	}
	return strconv.FormatUint(key, 10)
}

// rule is a journey rule with its durations resolved.
type rule struct {
	*saydo.JourneyRule
	open, window, lead time.Duration
}

// Engine holds a workspace's journey rules.
type Engine struct {
	rules     []rule
	lookback  time.Duration // how far back contacts can matter
	complaint time.Duration // how long any complaint can stay open
}

// New returns an engine for the configuration; the zero Journeys is the
// defaults.
func New(j saydo.Journeys) *Engine {
	if j.Rules == nil {
		def := saydo.DefaultJourneys()
		if j.ComplaintOpenDays > 0 {
			def.ComplaintOpenDays = j.ComplaintOpenDays
		}
		j = def
	}
	if j.ComplaintOpenDays <= 0 {
		j.ComplaintOpenDays = saydo.DefaultComplaintOpenDays
	}
	e := &Engine{}
	for i := range j.Rules {
		r := &j.Rules[i]
		if r.Off {
			continue
		}
		rr := rule{JourneyRule: r, window: saydo.Days(r.WindowDays), lead: saydo.Days(r.LeadDays)}
		switch r.Kind {
		case saydo.DuringComplaint:
			rr.open = saydo.Days(j.ComplaintOpenDays)
			if r.OpenDays > 0 {
				rr.open = saydo.Days(r.OpenDays)
			}
			e.complaint = max(e.complaint, rr.open)
			e.lookback = max(e.lookback, rr.open)
		case saydo.WithoutPrior, saydo.TooMany:
			e.lookback = max(e.lookback, rr.window)
		}
		e.rules = append(e.rules, rr)
	}
	return e
}

// Rules returns the rules the engine applies (those not off), in order.
func (e *Engine) Rules() []saydo.JourneyRule {
	out := make([]saydo.JourneyRule, len(e.rules))
	for i, r := range e.rules {
		out[i] = *r.JourneyRule
	}
	return out
}

// Lookback is how far before a contact earlier contacts can matter to it.
func (e *Engine) Lookback() time.Duration { return e.lookback }

// ComplaintLookback is how far before a contact a complaint can still be
// open.
func (e *Engine) ComplaintLookback() time.Duration { return e.complaint }

// ErrOutOfOrder is returned when a timeline is given a contact earlier
// than the one before.
var ErrOutOfOrder = errors.New("contact earlier than the previous one")

// Timeline is one customer's journey, fed contact by contact in time
// order. It keeps only the contacts within the engine's lookback, so its
// memory is bounded by the busiest stretch of the journey, not its length.
type Timeline struct {
	e          *Engine
	customer   string
	complaints []saydo.Complaint // in At order, from the first still relevant
	history    []entry           // before the current instant, within lookback
	group      []entry           // at the current instant
	proposed   int               // index in group of a contact not sent yet, or -1
	cf         *Conflict         // the conflict emit receives, reused
}

// entry is a contact on a timeline: its time, key, source id and kind
// (the fields many contacts share), no string of its own but the id.
type entry struct {
	At   time.Time
	Key  uint64
	ID   string // the source id, or ""
	kind *Kind
}

// id is the id a report shows for the entry (ContactID).
func (x *entry) id() string { return contactID(x.ID, x.Key) }

// Kind is what a contact is to the rules: its department, channel, intent
// and message, with the rules whose scopes it is in worked out once (bit i
// of when, prior is rule i's When, Prior). Contacts of one kind share it.
type Kind struct {
	Department, Channel string
	Intent              saydo.Intent
	Message             string
	when, prior         uint64
}

// maskRules is how many rules the masks hold; rules past it match their
// scopes contact by contact.
const maskRules = 64

// Kind returns the kind of contacts with these fields; callers that
// judge many contacts make one per distinct kind.
func (e *Engine) Kind(department, channel string, intent saydo.Intent, message string) *Kind {
	k := &Kind{Department: department, Channel: channel, Intent: intent, Message: message}
	c := k.contact()
	for i := range e.rules[:min(len(e.rules), maskRules)] {
		r := &e.rules[i]
		if r.When.Matches(&c) {
			k.when |= 1 << i
		}
		if r.Kind == saydo.WithoutPrior && r.Prior.Matches(&c) {
			k.prior |= 1 << i
		}
	}
	return k
}

// contact is a contact of the kind, for the scopes.
func (k *Kind) contact() saydo.Contact {
	return saydo.Contact{Department: k.Department, Channel: k.Channel, Intent: k.Intent, Message: k.Message}
}

func (e *Engine) entry(c *saydo.Contact) entry {
	return entry{At: c.At, Key: c.Key, ID: c.SourceID, kind: e.Kind(c.Department, c.Channel, c.Intent, c.Message)}
}

func (e *Engine) inWhen(ri int, x *entry) bool {
	if ri < maskRules {
		return x.kind.when&(1<<ri) != 0
	}
	c := x.kind.contact()
	return e.rules[ri].When.Matches(&c)
}

func (e *Engine) inPrior(ri int, x *entry) bool {
	if ri < maskRules {
		return x.kind.prior&(1<<ri) != 0
	}
	c := x.kind.contact()
	return e.rules[ri].Prior.Matches(&c)
}

// NewTimeline starts a customer's timeline; complaints are the customer's
// complaints in At order (the timeline keeps the slice).
func (e *Engine) NewTimeline(customer string, complaints []saydo.Complaint) *Timeline {
	return &Timeline{e: e, customer: customer, complaints: complaints, proposed: -1}
}

// Last returns the time of the last contact added; zero when none.
func (t *Timeline) Last() time.Time {
	switch {
	case len(t.group) > 0:
		return t.group[0].At
	case len(t.history) > 0:
		return t.history[len(t.history)-1].At
	}
	return time.Time{}
}

// Add adds the customer's next contact (copied). Contacts at the same
// instant are judged together when a later one arrives or on Flush; emit
// receives each conflict, valid only during the call.
func (t *Timeline) Add(c *saydo.Contact, emit func(*Conflict)) error {
	return t.add(t.e.entry(c), emit)
}

// AddKind adds the customer's next contact as Add does, given as its time,
// key, source id ("" for none) and kind (from the engine's Kind).
func (t *Timeline) AddKind(at time.Time, key uint64, id string, k *Kind, emit func(*Conflict)) error {
	return t.add(entry{At: at, Key: key, ID: id, kind: k}, emit)
}

func (t *Timeline) add(x entry, emit func(*Conflict)) error {
	if len(t.group) > 0 {
		switch at := t.group[0].At; {
		case x.At.Before(at):
			return ErrOutOfOrder
		case x.At.After(at):
			t.Flush(emit)
		}
	} else if n := len(t.history); n > 0 && x.At.Before(t.history[n-1].At) {
		return ErrOutOfOrder
	}
	t.group = append(t.group, x)
	return nil
}

// Flush judges the contacts of the last instant.
func (t *Timeline) Flush(emit func(*Conflict)) {
	if len(t.group) == 0 {
		return
	}
	at := t.group[0].At
	// Forget what can no longer matter.
	cut := at.Add(-t.e.lookback)
	drop := 0
	for drop < len(t.history) && t.history[drop].At.Before(cut) {
		drop++
	}
	if drop > 0 {
		t.history = append(t.history[:0], t.history[drop:]...)
	}
	ccut := at.Add(-t.e.complaint)
	for len(t.complaints) > 0 && !t.complaints[0].At.After(ccut) {
		t.complaints = t.complaints[1:]
	}
	if t.cf == nil {
		t.cf = new(Conflict)
	}
	cf := t.cf
	for i := range t.group {
		x := &t.group[i]
		for ri := range t.e.rules {
			r := &t.e.rules[ri]
			if !t.e.inWhen(ri, x) {
				continue
			}
			switch r.Kind {
			case saydo.DuringComplaint:
				k := t.openComplaint(r, at)
				if k == nil {
					continue
				}
				t.fill(cf, r, i)
				cf.With = &With{Kind: "complaint", ID: k.ID, At: k.At, Department: k.Department}
			case saydo.WithoutPrior:
				if t.hasPrior(ri, i, at) {
					continue
				}
				t.fill(cf, r, i)
				cf.With = nil
			case saydo.TooMany:
				first, n := t.countWindow(ri, i, at)
				if n <= r.MaxContacts {
					continue
				}
				t.fill(cf, r, i)
				cf.With = &With{Kind: "contact", ID: first.id(), At: first.At, Department: first.kind.Department, Intent: first.kind.Intent}
			default:
				continue
			}
			emit(cf)
		}
	}
	t.history = append(t.history, t.group...)
	t.group = t.group[:0]
	t.proposed = -1
}

// fill makes cf a conflict of the rule with group[i].
func (t *Timeline) fill(cf *Conflict, r *rule, i int) {
	x := &t.group[i]
	k := x.kind
	*cf = Conflict{Rule: r.ID, Customer: t.customer, At: x.At, Department: k.Department, Channel: k.Channel, Intent: k.Intent, Message: k.Message}
	if i != t.proposed {
		id := x.id()
		cf.Contact = &id
	}
}

// resolved reports whether a resolution contact at or after from and at
// or before at (this instant included) closed the complaints before it.
func (t *Timeline) resolved(from, at time.Time) bool {
	for i := len(t.history) - 1; i >= 0; i-- {
		x := &t.history[i]
		if x.At.Before(from) {
			break
		}
		if x.kind.Intent == saydo.IntentResolution {
			return true
		}
	}
	if !at.Before(from) {
		for i := range t.group {
			if t.group[i].kind.Intent == saydo.IntentResolution {
				return true
			}
		}
	}
	return false
}

// openComplaint returns the earliest complaint in the rule's scope open at
// at, or nil.
func (t *Timeline) openComplaint(r *rule, at time.Time) *saydo.Complaint {
	for i := range t.complaints {
		k := &t.complaints[i]
		if k.At.After(at) {
			break
		}
		if !at.Before(k.At.Add(r.open)) || !r.Complaint.Matches(k) {
			continue
		}
		if t.resolved(k.At, at) {
			continue
		}
		return k
	}
	return nil
}

// hasPrior reports whether a contact in the rule's Prior scope, other than
// group[self], lies in [at - window, at - lead].
func (t *Timeline) hasPrior(ri int, self int, at time.Time) bool {
	r := &t.e.rules[ri]
	lo, hi := at.Add(-r.window), at.Add(-r.lead)
	for i := len(t.history) - 1; i >= 0; i-- {
		x := &t.history[i]
		if x.At.Before(lo) {
			break
		}
		if !x.At.After(hi) && t.e.inPrior(ri, x) {
			return true
		}
	}
	if r.lead == 0 {
		for i := range t.group {
			if i != self && t.e.inPrior(ri, &t.group[i]) {
				return true
			}
		}
	}
	return false
}

// countWindow counts the contacts in the rule's scope in (at - window,
// at], up to group[self] among those at at, and returns the earliest.
func (t *Timeline) countWindow(ri int, self int, at time.Time) (*entry, int) {
	r := &t.e.rules[ri]
	lo := at.Add(-r.window)
	var firstInGroup *entry
	n := 0
	for i := 0; i <= self; i++ {
		if x := &t.group[i]; t.e.inWhen(ri, x) {
			if firstInGroup == nil {
				firstInGroup = x
			}
			n++
		}
	}
	// Counting stops as soon as the window holds too many, so a customer
	// with thousands of contacts in a window costs no more than one with a
	// handful (the count returned is then a lower bound above the limit).
	h := t.history
	start := sort.Search(len(h), func(i int) bool { return h[i].At.After(lo) })
	for i := len(h) - 1; i >= start && n <= r.MaxContacts; i-- {
		if t.e.inWhen(ri, &h[i]) {
			n++
		}
	}
	if n <= r.MaxContacts {
		return nil, n
	}
	for i := start; i < len(h); i++ {
		if t.e.inWhen(ri, &h[i]) {
			return &h[i], n
		}
	}
	return firstInGroup, n
}

// Check judges a contact not sent yet: proposed, at its At, after history
// (the customer's contacts up to and including that instant, in any order)
// and against complaints (the customer's, in any order). The conflicts
// have a nil Contact.
func (e *Engine) Check(customer string, history []saydo.Contact, complaints []saydo.Complaint, proposed saydo.Contact) []Conflict {
	hist := make([]saydo.Contact, 0, len(history))
	cut := proposed.At.Add(-e.lookback)
	for _, c := range history {
		if !c.At.After(proposed.At) && !c.At.Before(cut) {
			hist = append(hist, c)
		}
	}
	sortContacts(hist)
	ks := append([]saydo.Complaint(nil), complaints...)
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].At.Before(ks[j].At) })
	t := e.NewTimeline(customer, ks)
	var out []Conflict
	keep := func(c *Conflict) {
		if c.Contact == nil {
			out = append(out, *c)
		}
	}
	discard := func(*Conflict) {}
	for i := range hist {
		t.Add(&hist[i], discard) // in order: cannot fail
	}
	if len(t.group) > 0 && !t.group[0].At.Equal(proposed.At) {
		t.Flush(discard)
	}
	t.group = append(t.group, e.entry(&proposed))
	t.proposed = len(t.group) - 1
	t.Flush(keep)
	return out
}

// sortContacts orders contacts by (At, Key).
func sortContacts(cs []saydo.Contact) {
	sort.SliceStable(cs, func(i, j int) bool {
		if !cs[i].At.Equal(cs[j].At) {
			return cs[i].At.Before(cs[j].At)
		}
		return cs[i].Key < cs[j].Key
	})
}

// Judge runs the rules over whole timelines held in memory: contacts and
// complaints of any customers, in any order. It is the reference the
// streaming report is tested against, and what small inputs use.
func (e *Engine) Judge(contacts []saydo.Contact, complaints []saydo.Complaint) []Conflict {
	byCust := map[string][]saydo.Contact{}
	for _, c := range contacts {
		byCust[c.Customer] = append(byCust[c.Customer], c)
	}
	ks := map[string][]saydo.Complaint{}
	for _, k := range complaints {
		ks[k.Customer] = append(ks[k.Customer], k)
	}
	customers := make([]string, 0, len(byCust))
	for c := range byCust {
		customers = append(customers, c)
	}
	sort.Strings(customers)
	var out []Conflict
	emit := func(c *Conflict) { out = append(out, *c) }
	for _, cust := range customers {
		cs := byCust[cust]
		sortContacts(cs)
		k := ks[cust]
		sort.SliceStable(k, func(i, j int) bool { return k[i].At.Before(k[j].At) })
		t := e.NewTimeline(cust, k)
		for i := range cs {
			t.Add(&cs[i], emit)
		}
		t.Flush(emit)
	}
	return out
}

// Reset makes t an empty timeline of another customer, keeping its memory.
func (t *Timeline) Reset(customer string, complaints []saydo.Complaint) {
	clear(t.history)
	clear(t.group)
	*t = Timeline{e: t.e, customer: customer, complaints: complaints, history: t.history[:0], group: t.group[:0], proposed: -1, cf: t.cf}
}
