package ledger

import (
	"context"
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
	var (
		timelines = map[string]*journey.Timeline{}
		customers = map[string]struct{}{}
		contacts  int64
		sweepAt   time.Time
	)
	sweepEvery := max(lookback, 24*time.Hour)
	sweep := func(now time.Time) {
		cut := now.Add(-lookback)
		for cust, tl := range timelines {
			if tl.Last().Before(cut) {
				tl.Flush(onConflict)
				delete(timelines, cust)
			}
		}
	}
	err = st.ScanContacts(ctx, scanFrom, opts.To, func(c *saydo.Contact) error {
		if emitErr != nil {
			return emitErr
		}
		if !c.At.Before(opts.From) {
			contacts++
			if _, ok := customers[c.Customer]; !ok {
				customers[c.Customer] = struct{}{}
			}
		}
		if sweepAt.IsZero() {
			sweepAt = c.At.Add(sweepEvery)
		} else if c.At.After(sweepAt) {
			sweep(c.At)
			sweepAt = c.At.Add(sweepEvery)
		}
		tl := timelines[c.Customer]
		if tl == nil {
			tl = e.NewTimeline(c.Customer, complaints[c.Customer])
			timelines[c.Customer] = tl
		}
		return tl.Add(c, onConflict)
	})
	if err != nil {
		return nil, err
	}
	for _, tl := range timelines {
		tl.Flush(onConflict)
	}
	if emitErr != nil {
		return nil, emitErr
	}
	r := tally.Report()
	r.Customers, r.Contacts, r.Complaints = int64(len(customers)), contacts, nComplaints
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
