package ledger

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
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
	packKinds, err := st.ContactKinds(ctx)
	if err != nil {
		return nil, err
	}
	// Buckets of customers are independent: two judges take them in turn
	// (bucket b goes to judge b%2), so judging uses both cores while this
	// goroutine reads and decodes. Conflicts reach emit in bucket order,
	// each bucket's as its judge found them: the output is the same
	// whatever the scheduling.
	const judges = 2
	js := make([]*bucketJudge, judges)
	for i := range js {
		js[i] = newBucketJudge(e, opts, lookback, emit != nil)
	}
	fromMonth, toMonth := int64(math.MinInt64), int64(math.MaxInt64)
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !scanFrom.IsZero() {
		fromMonth, lo = saydo.ContactMonth(scanFrom), scanFrom.UnixMilli()
	}
	if !opts.To.IsZero() {
		toMonth, hi = saydo.ContactMonth(opts.To.Add(-time.Millisecond)), opts.To.UnixMilli()
	}
	var failed atomic.Bool
	// done carries each judged bucket's conflicts (when emitting), in the
	// order the judge finished them; order the buckets read.
	done := make([]chan bucketDone, judges)
	// The reader runs ahead of the judges by up to batchQueue batches of
	// batchItems contacts each, more than a bucket of ten million contacts
	// (about 150,000), so while one judge works through a bucket the other
	// has the next.
	const batchItems, batchQueue = 4096, 64
	in := make([]chan judgeBatch, judges)
	spare := make(chan []judgeItem, judges*batchQueue+2)
	var wg sync.WaitGroup
	for i, j := range js {
		in[i] = make(chan judgeBatch, batchQueue)
		done[i] = make(chan bucketDone, 4)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			j.run(in[i], spare, done[i], &failed)
		}()
	}
	// The conflicts go to emit on their own goroutine, bucket by bucket in
	// the order read (order never fills: a bucket is read once).
	order := make(chan int, saydo.ContactBuckets)
	emitted := make(chan error, 1)
	go func() {
		var err error
		for bk := range order {
			d, ok := <-done[bk%judges]
			if !ok {
				break // the judge failed: its error is reported
			}
			for i := range d.conflicts {
				if err == nil && emit != nil {
					if err = emit(&d.conflicts[i]); err != nil {
						failed.Store(true)
					}
				}
			}
		}
		for range order {
		}
		emitted <- err
	}()
	var (
		kinds = map[*saydo.PackedKind]*journey.Kind{}
		// customers numbers the bucket's customers, in the order the judge
		// adds their states.
		customers = map[string]int32{}
		decoded   []saydo.PackedContact
		inBucket  = -1
		items     []judgeItem
	)
	send := func() {
		if len(items) > 0 {
			in[inBucket%judges] <- judgeBatch{bucket: inBucket, items: items}
		}
		select {
		case items = <-spare:
		default:
			items = make([]judgeItem, 0, batchItems+1024)
		}
	}
	send()
	scanErr := st.ScanContactPacks(ctx, fromMonth, toMonth, func(bk int, month int64, packs [][]byte) error {
		if failed.Load() {
			return errJudged
		}
		if bk != inBucket {
			send()
			clear(customers)
			inBucket = bk
			order <- bk
		}
		var err error
		decoded, err = saydo.DecodeContactMonth(month, packs, packKinds, decoded)
		if _, ok := err.(*saydo.UnknownKindError); ok {
			// A kind an import added since they were read.
			if packKinds, err = st.ContactKinds(ctx); err != nil {
				return err
			}
			decoded, err = saydo.DecodeContactMonth(month, packs, packKinds, decoded)
		}
		if err != nil {
			return fmt.Errorf("contacts of %d-%02d: %w", 1970+month/12, month%12+1, err)
		}
		for i := range decoded {
			c := &decoded[i]
			if c.At < lo || c.At >= hi {
				continue
			}
			it := judgeItem{at: c.Time(), key: c.Key, id: c.SourceID}
			ci, ok := customers[c.Customer]
			if !ok {
				// The customer's own string: c.Customer points into the packs.
				it.name = strings.Clone(c.Customer)
				it.complaints = complaints[it.name]
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
		if len(items) >= batchItems {
			send()
		}
		return nil
	})
	if scanErr == nil {
		send()
	}
	for _, c := range in {
		close(c)
	}
	close(order)
	wg.Wait()
	emitErr := <-emitted
	for _, j := range js {
		if j.err != nil {
			return nil, j.err
		}
	}
	if scanErr != nil && scanErr != errJudged {
		return nil, scanErr
	}
	if emitErr != nil {
		return nil, emitErr
	}
	tally, contacts, counted := js[0].tally, js[0].contacts, js[0].counted
	for _, j := range js[1:] {
		tally.Merge(j.tally)
		contacts += j.contacts
		counted += j.counted
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

// judgeItem is a contact as a judge takes it: its customer numbered in its
// bucket, its kind resolved (on the reading goroutine).
type judgeItem struct {
	ci int32
	// The customer's name and complaints, when first met in the bucket:
	// the judge adds its state.
	name       string
	complaints []saydo.Complaint
	at         time.Time
	key        uint64
	id         string // the source id: a view of the packs, kept for the lookback only
	kind       *journey.Kind
}

// judgeBatch is contacts of one bucket, in time order.
type judgeBatch struct {
	bucket int
	items  []judgeItem
}

// bucketDone is a judged bucket's conflicts, when they are emitted.
type bucketDone struct {
	conflicts []journey.Conflict
}

// bucketJudge judges buckets of customers, one at a time, in time order,
// and tallies what it finds.
type bucketJudge struct {
	e        *journey.Engine
	from     time.Time // conflicts and contacts before it are history only
	lookback time.Duration
	keep     bool // keep each bucket's conflicts for emit
	tally    *journey.Tally
	contacts int64
	counted  int64
	err      error

	bucket    int
	conflicts []journey.Conflict // of the bucket, when keep
	// The state of each customer of the bucket, by its number in the
	// bucket (one slice, not an object per customer for the collector).
	states []judgeCustomer
	active []activeCustomer // those with a timeline, for the sweep
	free   []*journey.Timeline
	// Idle timelines are swept four times per lookback: a timeline lives
	// at most 1.25 lookbacks past its last contact.
	sweepEvery time.Duration
	sweepAt    time.Time
	onConflict func(*journey.Conflict)
}

type judgeCustomer struct {
	name       string
	complaints []saydo.Complaint
	tl         *journey.Timeline
	slot       int  // index in active while tl != nil
	counted    bool // has a contact in the span
}

// activeCustomer is a customer with a timeline and the time of its last
// contact, kept densely so a sweep reads no timeline it keeps.
type activeCustomer struct {
	cu   int32 // index in states
	last time.Time
}

// maxFree is how many evicted timelines a judge keeps for reuse; the rest
// go to the garbage collector.
const maxFree = 4096

func newBucketJudge(e *journey.Engine, opts JourneyOptions, lookback time.Duration, keep bool) *bucketJudge {
	j := &bucketJudge{e: e, from: opts.From, lookback: lookback, keep: keep, tally: journey.NewTally(e.Rules(), opts.Examples),
		bucket: -1, sweepEvery: max(lookback/4, 24*time.Hour)}
	j.onConflict = func(c *journey.Conflict) {
		if c.At.Before(j.from) {
			return
		}
		j.tally.Add(c)
		if j.keep {
			j.conflicts = append(j.conflicts, c.Copy())
		}
	}
	return j
}

// run judges the batches of in until it is closed, sending each bucket's
// conflicts to done when the bucket ends.
func (j *bucketJudge) run(in <-chan judgeBatch, spare chan<- []judgeItem, done chan<- bucketDone, failed *atomic.Bool) {
	for b := range in {
		if j.err == nil {
			if b.bucket != j.bucket {
				j.endBucket(done)
				j.bucket = b.bucket
			}
			if j.err = j.judge(b.items); j.err != nil {
				failed.Store(true)
			}
		}
		clear(b.items) // drop the views of the packs
		select {
		case spare <- b.items[:0]:
		default:
		}
	}
	if j.err == nil {
		j.endBucket(done)
	}
}

func (j *bucketJudge) evict(cu *judgeCustomer) {
	cu.tl.Flush(j.onConflict)
	if len(j.free) < maxFree {
		j.free = append(j.free, cu.tl)
	}
	cu.tl = nil
}

func (j *bucketJudge) sweep(now time.Time) {
	cut := now.Add(-j.lookback)
	kept := j.active[:0]
	for _, a := range j.active {
		if a.last.Before(cut) {
			j.evict(&j.states[a.cu])
			continue
		}
		j.states[a.cu].slot = len(kept)
		kept = append(kept, a)
	}
	clear(j.active[len(kept):])
	j.active = kept
}

// endBucket judges what is left of the bucket's customers, none of whom
// comes again, and hands its conflicts over.
func (j *bucketJudge) endBucket(done chan<- bucketDone) {
	if j.bucket < 0 {
		return
	}
	for _, a := range j.active {
		j.evict(&j.states[a.cu])
	}
	clear(j.active)
	j.active = j.active[:0]
	clear(j.states)
	j.states = j.states[:0]
	j.sweepAt = time.Time{}
	j.tally.ForgetCustomers()
	done <- bucketDone{conflicts: j.conflicts}
	j.conflicts = nil
}

func (j *bucketJudge) judge(items []judgeItem) error {
	for i := range items {
		it := &items[i]
		at := it.at
		if j.sweepAt.IsZero() {
			j.sweepAt = at.Add(j.sweepEvery)
		} else if at.After(j.sweepAt) {
			j.sweep(at)
			j.sweepAt = at.Add(j.sweepEvery)
		}
		if it.name != "" {
			j.states = append(j.states, judgeCustomer{name: it.name, complaints: it.complaints})
		}
		cu := &j.states[it.ci]
		if !at.Before(j.from) {
			j.contacts++
			if !cu.counted {
				cu.counted = true
				j.counted++
			}
		}
		if cu.tl == nil {
			if n := len(j.free); n > 0 {
				cu.tl = j.free[n-1]
				j.free = j.free[:n-1]
				cu.tl.Reset(cu.name, cu.complaints)
			} else {
				cu.tl = j.e.NewTimeline(cu.name, cu.complaints)
			}
			cu.slot = len(j.active)
			j.active = append(j.active, activeCustomer{cu: it.ci})
		}
		if err := cu.tl.AddKind(at, it.key, it.id, it.kind, j.onConflict); err != nil {
			return err
		}
		j.active[cu.slot].last = at
	}
	return nil
}
