package ledger

import (
	"context"
	"errors"
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
// found; the report has the counts, trends and examples. Memory holds the
// complaints, the timelines of customers contacted within the rules'
// lookback, and one entry per customer: not the contacts.
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
	// The store's scan feeds batches to the rules on another goroutine,
	// so reading and judging use a core each.
	type customer struct {
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
		// customers numbers each customer once; its state is in states
		// (one slice, not an object per customer for the collector).
		customers = map[string]int32{}
		states    []customer
		active    []activeCustomer // those with a timeline, for the sweep
		free      []*journey.Timeline
		contacts  int64
		counted   int64
		sweepAt   time.Time
		failed    atomic.Bool
	)
	// Sweep idle timelines four times per lookback: a timeline lives at
	// most 1.25 lookbacks past its last contact. A few evicted ones are
	// kept for reuse, the rest go to the garbage collector.
	sweepEvery := max(lookback/4, 24*time.Hour)
	const maxFree = 4096
	sweep := func(now time.Time) {
		cut := now.Add(-lookback)
		kept := active[:0]
		for _, a := range active {
			if a.last.Before(cut) {
				c := &states[a.cu]
				c.tl.Flush(onConflict)
				if len(free) < maxFree {
					free = append(free, c.tl)
				}
				c.tl = nil
				continue
			}
			states[a.cu].slot = len(kept)
			kept = append(kept, a)
		}
		clear(active[len(kept):])
		active = kept
	}
	judge := func(batch []saydo.Contact) error {
		for i := range batch {
			c := &batch[i]
			if sweepAt.IsZero() {
				sweepAt = c.At.Add(sweepEvery)
			} else if c.At.After(sweepAt) {
				sweep(c.At)
				sweepAt = c.At.Add(sweepEvery)
			}
			ci, ok := customers[c.Customer]
			if !ok {
				ci = int32(len(states))
				states = append(states, customer{})
				customers[c.Customer] = ci
			}
			cu := &states[ci]
			if !c.At.Before(opts.From) {
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
					cu.tl.Reset(c.Customer, complaints[c.Customer])
				} else {
					cu.tl = e.NewTimeline(c.Customer, complaints[c.Customer])
				}
				cu.slot = len(active)
				active = append(active, activeCustomer{cu: ci})
			}
			if err := cu.tl.Add(c, onConflict); err != nil {
				return err
			}
			active[cu.slot].last = c.At
			if emitErr != nil {
				return emitErr
			}
		}
		return nil
	}
	const batchSize = 4096
	batches := make(chan []saydo.Contact, 4)
	spare := make(chan []saydo.Contact, 5)
	for range 5 {
		spare <- make([]saydo.Contact, 0, batchSize)
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
			spare <- b[:0]
		}
		judged <- err
	}()
	batch := <-spare
	scanErr := st.ScanContacts(ctx, scanFrom, opts.To, func(c *saydo.Contact) error {
		if failed.Load() {
			return errJudged
		}
		batch = append(batch, *c)
		if len(batch) == batchSize {
			batches <- batch
			batch = <-spare
		}
		return nil
	})
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	if err := <-judged; err != nil {
		return nil, err
	}
	if scanErr != nil && scanErr != errJudged {
		return nil, scanErr
	}
	for _, a := range active {
		states[a.cu].tl.Flush(onConflict)
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
