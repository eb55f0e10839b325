package ledger

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
)

// JourneyOptions bound a journeys report.
type JourneyOptions struct {
	// From and To bound the contacts judged, From <= At < To; zero is
	// unbounded. Contacts and complaints before From still count as
	// history (a complaint open when the span begins).
	From, To time.Time
	// Examples is how many example timelines per rule (0: 3; < 0: none).
	Examples int
}

// Journeys runs the workspace's journey rules over the stored contacts and
// complaints. Each conflict goes to emit (valid during the call) as it is
// found; the report has the counts, trends and examples. It reads the
// stored contact packs bucket by bucket (saydo.ContactBucket), so memory
// holds the complaints, the customers with conflicts and, for one bucket
// at a time, a state per customer and the timelines of those contacted
// within the rules' lookback: nothing that grows with the contacts.
func Journeys(ctx context.Context, st saydo.Store, ws *saydo.Workspace, opts JourneyOptions, emit func(*journey.Conflict) error) (*journey.Report, error) {
	if opts.Examples == 0 {
		opts.Examples = 3
	}
	e := journey.New(ws.Journeys)
	lookback := max(e.Lookback(), e.ComplaintLookback())
	scanFrom := opts.From
	if !scanFrom.IsZero() {
		scanFrom = scanFrom.Add(-lookback)
	}
	complaints := map[string][]saydo.Complaint{}
	var nComplaints int64
	err := st.ScanComplaints(ctx, scanFrom, opts.To, func(k *saydo.Complaint) error {
		complaints[k.Customer] = append(complaints[k.Customer], *k)
		if !k.At.Before(opts.From) {
			nComplaints++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tally := journey.NewTally(e.Rules(), opts.Examples)
	var emitErr error
	onConflict := func(c *journey.Conflict) {
		if emitErr != nil || c.At.Before(opts.From) {
			return
		}
		tally.Add(c)
		if emit != nil {
			emitErr = emit(c)
		}
	}
	type customer struct {
		name    string
		tl      *journey.Timeline
		slot    int  // index in active while tl != nil
		counted bool // has a contact in the span
	}
	// active holds the customers with a timeline and the time of their
	// last contact, densely, so a sweep reads no timeline it keeps.
	type activeCustomer struct {
		cu   int32 // index in states
		last time.Time
	}
	var (
		// The state of each customer of the bucket being judged, by its
		// number in the bucket (one slice, not an object per customer for
		// the collector).
		states   []customer
		active   []activeCustomer // those with a timeline, for the sweep
		free     []*journey.Timeline
		contacts int64
		counted  int64
		sweepAt  time.Time
		failed   atomic.Bool
	)
	// Sweep idle timelines four times per lookback: a timeline lives at
	// most 1.25 lookbacks past its last contact. A few evicted ones are
	// kept for reuse, the rest go to the garbage collector.
	sweepEvery := max(lookback/4, 24*time.Hour)
	const maxFree = 4096
	evict := func(cu *customer) {
		cu.tl.Flush(onConflict)
		if len(free) < maxFree {
			free = append(free, cu.tl)
		}
		cu.tl = nil
	}
	sweep := func(now time.Time) {
		cut := now.Add(-lookback)
		kept := active[:0]
		for _, a := range active {
			if a.last.Before(cut) {
				evict(&states[a.cu])
				continue
			}
			states[a.cu].slot = len(kept)
			kept = append(kept, a)
		}
		clear(active[len(kept):])
		active = kept
	}
	// endBucket judges what is left of a bucket's customers: none of them
	// comes again.
	endBucket := func() {
		for _, a := range active {
			evict(&states[a.cu])
		}
		clear(active)
		active = active[:0]
		clear(states)
		states = states[:0]
		sweepAt = time.Time{}
		tally.ForgetCustomers()
	}
	// A contact as the judge takes it: its customer numbered in its
	// bucket, its kind resolved (on the reading goroutine: the judging one
	// is the slower).
	type item struct {
		ci   int32
		name string // the customer's, when first met: the judge adds its state
		at   time.Time
		key  uint64
		id   string // the source id: a view of the packs, kept for the lookback only
		kind *journey.Kind
	}
	// batch is a bucket's contacts of a day, in time order.
	type batch struct {
		bucket int
		items  []item
	}
	bucket := -1
	judge := func(b batch) error {
		if b.bucket != bucket {
			endBucket()
			bucket = b.bucket
		}
		for i := range b.items {
			it := &b.items[i]
			at := it.at
			if sweepAt.IsZero() {
				sweepAt = at.Add(sweepEvery)
			} else if at.After(sweepAt) {
				sweep(at)
				sweepAt = at.Add(sweepEvery)
			}
			if it.name != "" {
				states = append(states, customer{name: it.name})
			}
			cu := &states[it.ci]
			if !at.Before(opts.From) {
				contacts++
				if !cu.counted {
					cu.counted = true
					counted++
				}
			}
			if cu.tl == nil {
				if n := len(free); n > 0 {
					cu.tl = free[n-1]
					free = free[:n-1]
					cu.tl.Reset(cu.name, complaints[cu.name])
				} else {
					cu.tl = e.NewTimeline(cu.name, complaints[cu.name])
				}
				cu.slot = len(active)
				active = append(active, activeCustomer{cu: it.ci})
			}
			if err := cu.tl.AddKind(at, it.key, it.id, it.kind, onConflict); err != nil {
				return err
			}
			active[cu.slot].last = at
			if emitErr != nil {
				return emitErr
			}
		}
		return nil
	}
	// The store's packs are read and decoded on this goroutine, a bucket's
	// day at a time, and judged on another, so reading and judging use a
	// core each.
	fromDay, toDay := int64(math.MinInt64), int64(math.MaxInt64)
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !scanFrom.IsZero() {
		fromDay, lo = saydo.ContactDay(scanFrom), scanFrom.UnixMilli()
	}
	if !opts.To.IsZero() {
		toDay, hi = saydo.ContactDay(opts.To.Add(-time.Millisecond)), opts.To.UnixMilli()
	}
	batches := make(chan batch, 2)
	spare := make(chan []item, 3)
	for range 3 {
		spare <- nil
	}
	judged := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				if err = judge(b); err != nil {
					failed.Store(true)
				}
			}
			clear(b.items) // drop the views of the packs
			spare <- b.items[:0]
		}
		if err == nil {
			endBucket()
			err = emitErr
		}
		judged <- err
	}()
	var (
		packKinds = map[saydo.PackedKind]*saydo.PackedKind{}
		kinds     = map[*saydo.PackedKind]*journey.Kind{}
		// customers numbers the bucket's customers, in the order the judge
		// adds their states.
		customers = map[string]int32{}
		decoded   []saydo.PackedContact
		inBucket  = -1
	)
	scanErr := st.ScanContactPacks(ctx, fromDay, toDay, func(bk int, day int64, packs [][]byte) error {
		if failed.Load() {
			return errJudged
		}
		if bk != inBucket {
			clear(customers)
			inBucket = bk
		}
		var err error
		if decoded, err = saydo.DecodeContactDay(day, packs, packKinds, decoded); err != nil {
			return fmt.Errorf("contacts of %s: %w", time.Unix(day*86400, 0).UTC().Format(time.DateOnly), err)
		}
		items := <-spare
		for i := range decoded {
			c := &decoded[i]
			if c.At < lo || c.At >= hi {
				continue
			}
			it := item{at: c.Time(), key: c.Key, id: c.SourceID}
			ci, ok := customers[c.Customer]
			if !ok {
				// The customer's own string: c.Customer points into the packs.
				it.name = strings.Clone(c.Customer)
				ci = int32(len(customers))
				customers[it.name] = ci
			}
			it.ci = ci
			k := kinds[c.Kind]
			if k == nil {
				k = e.Kind(c.Kind.Department, c.Kind.Channel, c.Kind.Intent, c.Kind.Message)
				kinds[c.Kind] = k
			}
			it.kind = k
			items = append(items, it)
		}
		clear(decoded)
		batches <- batch{bucket: bk, items: items}
		return nil
	})
	close(batches)
	if err := <-judged; err != nil {
		return nil, err
	}
	if scanErr != nil && scanErr != errJudged {
		return nil, scanErr
	}
	if emitErr != nil {
		return nil, emitErr
	}
	r := tally.Report()
	r.Customers, r.Contacts, r.Complaints = counted, contacts, nComplaints
	names := map[string]string{}
	for _, d := range ws.Departments {
		names[d.ID] = d.Name
	}
	for _, c := range tally.ExampleConflicts() {
		tl, err := CustomerTimeline(ctx, st, e, c.Customer, c.At.Add(-lookback), c.At.Add(14*24*time.Hour), names)
		if err != nil {
			return nil, err
		}
		r.Examples = append(r.Examples, journey.Example{Rule: c.Rule, Customer: c.Customer, Conflict: c, Timeline: tl})
	}
	return r, nil
}

// errJudged stops the scan when judging failed; judging's error is reported.
var errJudged = errors.New("judging failed")

// CustomerTimeline returns everything the company did to one customer
// with from <= At < to (zero is unbounded), and the complaints it got,
// in time order, with the contacts that broke rules marked. Complaints
// and contacts before from that the rules weigh are read too.
func CustomerTimeline(ctx context.Context, st saydo.Store, e *journey.Engine, customer string, from, to time.Time, names map[string]string) ([]journey.Event, error) {
	lookback := max(e.Lookback(), e.ComplaintLookback())
	readFrom := from
	if !readFrom.IsZero() {
		readFrom = readFrom.Add(-lookback)
	}
	cs, err := st.CustomerContacts(ctx, customer, readFrom, to)
	if err != nil {
		return nil, err
	}
	ks, err := st.CustomerComplaints(ctx, customer, readFrom, to)
	if err != nil {
		return nil, err
	}
	conflicts := e.Judge(cs, ks)
	// Show only the span asked for.
	inSpan := func(t time.Time) bool { return !t.Before(from) && (to.IsZero() || t.Before(to)) }
	var shownC []saydo.Contact
	for _, c := range cs {
		if inSpan(c.At) {
			shownC = append(shownC, c)
		}
	}
	var shownK []saydo.Complaint
	for _, k := range ks {
		if inSpan(k.At) {
			shownK = append(shownK, k)
		}
	}
	return journey.BuildTimeline(shownC, shownK, conflicts, names), nil
}
