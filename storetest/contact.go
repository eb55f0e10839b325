package storetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func insertContacts(t *testing.T, s saydo.Store, batches ...[]saydo.Contact) []int {
	t.Helper()
	tx, err := s.BeginContacts(t.Context())
	if err != nil {
		t.Fatalf("BeginContacts: %v", err)
	}
	defer tx.Rollback()
	var counts []int
	for _, b := range batches {
		n, err := tx.Insert(b)
		if err != nil {
			t.Fatalf("Insert contacts: %v", err)
		}
		counts = append(counts, n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit contacts: %v", err)
	}
	return counts
}

func scanContacts(t *testing.T, s saydo.Store, from, to time.Time) []saydo.Contact {
	t.Helper()
	var out []saydo.Contact
	if err := s.ScanContacts(t.Context(), from, to, func(c *saydo.Contact) error {
		out = append(out, *c)
		return nil
	}); err != nil {
		t.Fatalf("ScanContacts: %v", err)
	}
	return out
}

func contact(customer string, at time.Time, key uint64, dept string, intent saydo.Intent) saydo.Contact {
	return saydo.Contact{Key: key, Customer: customer, At: at, Department: dept, Channel: "sms", Intent: intent}
}

func sameContact(a, b saydo.Contact) bool {
	return a.Key == b.Key && a.SourceID == b.SourceID && a.Customer == b.Customer && a.At.Equal(b.At) &&
		a.Department == b.Department && a.Channel == b.Channel && a.Intent == b.Intent && a.Message == b.Message
}

func contactString(c saydo.Contact) string {
	return fmt.Sprintf("%s@%s#%d", c.Customer, c.At.Format(time.RFC3339Nano), c.Key)
}

// testContacts: every field round-trips; each customer's contacts come in
// (At, Key) order whatever the insert order; the range is half-open.
func testContacts(t *testing.T, s saydo.Store) {
	in := []saydo.Contact{
		{Key: 7, SourceID: "c-7", Customer: "alice", At: day(3).Add(90 * time.Minute), Department: "sales", Channel: "email", Intent: saydo.IntentOffer, Message: "upsell-email"},
		contact("bob", day(1), 3, "care", saydo.IntentService),
		contact("alice", day(1).Add(time.Millisecond), 9, "billing", saydo.IntentReminder),
		contact("alice", day(1).Add(time.Millisecond), 2, "billing", saydo.IntentReminder), // same instant, lower key
		contact("bob", day(40), 4, "collections", saydo.IntentWarning),
		contact("alice", day(-400), 1, "marketing", saydo.IntentSurvey),
	}
	if got := insertContacts(t, s, in); got[0] != len(in) {
		t.Fatalf("inserted %d, want %d", got[0], len(in))
	}
	if n, err := s.CountContacts(t.Context()); err != nil || n != int64(len(in)) {
		t.Fatalf("CountContacts = %d, %v; want %d", n, err, len(in))
	}
	all := scanContacts(t, s, time.Time{}, time.Time{})
	if len(all) != len(in) {
		t.Fatalf("scanned %d contacts, want %d", len(all), len(in))
	}
	byCustomer := map[string][]saydo.Contact{}
	for _, c := range all {
		byCustomer[c.Customer] = append(byCustomer[c.Customer], c)
	}
	for cust, cs := range byCustomer {
		if !sort.SliceIsSorted(cs, func(i, j int) bool {
			return cs[i].At.Before(cs[j].At) || cs[i].At.Equal(cs[j].At) && cs[i].Key < cs[j].Key
		}) {
			var got []string
			for _, c := range cs {
				got = append(got, contactString(c))
			}
			t.Errorf("customer %s: contacts out of (At, Key) order: %v", cust, got)
		}
	}
	var found bool
	for _, c := range all {
		if c.Key == 7 {
			found = true
			if !sameContact(c, in[0]) {
				t.Errorf("round trip: got %+v, want %+v", c, in[0])
			}
		}
	}
	if !found {
		t.Errorf("contact 7 not scanned")
	}
	// [day(1)+1ms, day(40)) holds alice's two reminders and offer.
	ranged := scanContacts(t, s, day(1).Add(time.Millisecond), day(40))
	if len(ranged) != 3 {
		t.Errorf("ScanContacts [day1+1ms, day40): got %d contacts, want 3", len(ranged))
	}
	got, err := s.CustomerContacts(t.Context(), "alice", day(0), day(10))
	if err != nil {
		t.Fatalf("CustomerContacts: %v", err)
	}
	var keys []uint64
	for _, c := range got {
		keys = append(keys, c.Key)
	}
	if fmt.Sprint(keys) != "[2 9 7]" {
		t.Errorf("CustomerContacts(alice, day0, day10) keys = %v, want [2 9 7]", keys)
	}
	if got, err := s.CustomerContacts(t.Context(), "alice", time.Time{}, time.Time{}); err != nil || len(got) != 4 {
		t.Errorf("CustomerContacts(alice, unbounded) = %d contacts, %v; want 4", len(got), err)
	}
	if got, err := s.CustomerContacts(t.Context(), "nobody", day(0), day(10)); err != nil || len(got) != 0 {
		t.Errorf("CustomerContacts(nobody) = %v, %v; want none", got, err)
	}
	// A range of many days, longer than a year.
	if got, err := s.CustomerContacts(t.Context(), "bob", day(-500), day(500)); err != nil || len(got) != 2 {
		t.Errorf("CustomerContacts(bob, 1000 days) = %d, %v; want 2", len(got), err)
	}
}

// testCustomerContactsRandom: one customer's contacts over any range are
// exactly those a scan of every contact finds, for thousands of customers
// over many days and transactions (days with more customers than the
// first layer of a day's filter holds, re-imported batches, reads between
// imports that must see the next import).
func testCustomerContactsRandom(t *testing.T, s saydo.Store) {
	r := rand.New(rand.NewPCG(3, 4))
	const customers = 1500
	var stored []saydo.Contact
	seen := map[string]bool{}
	var last []saydo.Contact // the last import's
	check := func(round int) {
		t.Helper()
		if len(last) > 0 {
			// The first read after an import finds its contacts.
			c := last[r.IntN(len(last))]
			hc, _, err := s.CustomerHistory(t.Context(), c.Customer, c.At.Add(-time.Hour), c.At.Add(-time.Hour), c.At.Add(time.Hour))
			if err != nil {
				t.Fatalf("CustomerHistory: %v", err)
			}
			found := false
			for _, h := range hc {
				found = found || contactString(h) == contactString(c)
			}
			if !found {
				t.Fatalf("round %d: CustomerHistory(%s) right after the import that added %s: got %v", round, c.Customer, contactString(c), hc)
			}
		}
		for range 200 {
			cust := fmt.Sprintf("cust-%d", r.IntN(customers+50)) // some never contacted
			from := day(r.IntN(60) - 5).Add(time.Duration(r.IntN(86400)) * time.Second)
			to := from.Add(time.Duration(r.IntN(40*86400)) * time.Second)
			if r.IntN(10) == 0 {
				from, to = time.Time{}, time.Time{}
			}
			var want []string
			for _, c := range stored {
				if c.Customer == cust && (from.IsZero() || !c.At.Before(from)) && (to.IsZero() || c.At.Before(to)) {
					want = append(want, contactString(c))
				}
			}
			sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
			// CustomerHistory first (it must see the last import by
			// itself), then CustomerContacts, which must agree.
			kfrom := from
			if !kfrom.IsZero() {
				kfrom = kfrom.Add(-time.Duration(r.IntN(10*86400)) * time.Second)
			}
			hc, hk, err := s.CustomerHistory(t.Context(), cust, from, kfrom, to)
			if err != nil {
				t.Fatalf("CustomerHistory: %v", err)
			}
			got, err := s.CustomerContacts(t.Context(), cust, from, to)
			if err != nil {
				t.Fatalf("CustomerContacts: %v", err)
			}
			var gs []string
			for i, c := range got {
				if i > 0 && (c.At.Before(got[i-1].At) || c.At.Equal(got[i-1].At) && c.Key < got[i-1].Key) {
					t.Errorf("round %d: CustomerContacts(%s) out of (At, Key) order at %d", round, cust, i)
				}
				gs = append(gs, contactString(c))
			}
			sort.Strings(gs)
			if fmt.Sprint(gs) != fmt.Sprint(want) {
				t.Fatalf("round %d: CustomerContacts(%s, %v, %v):\n got %v\nwant %v", round, cust, from, to, gs, want)
			}
			ks, err := s.CustomerComplaints(t.Context(), cust, kfrom, to)
			if err != nil {
				t.Fatalf("CustomerComplaints: %v", err)
			}
			if fmt.Sprint(hc) != fmt.Sprint(got) || fmt.Sprint(hk) != fmt.Sprint(ks) {
				t.Fatalf("round %d: CustomerHistory(%s, %v, %v, %v):\n got %v\n     %v\nwant %v\n     %v", round, cust, from, kfrom, to, hc, hk, got, ks)
			}
		}
	}
	var fbs []saydo.Feedback
	for i := range 600 {
		fbs = append(fbs, saydo.Feedback{Key: uint64(i + 1), Customer: fmt.Sprintf("cust-%d", r.IntN(customers/3)), Kind: "complaint",
			At: day(r.IntN(50) - 5).Add(time.Duration(r.IntN(86400)) * time.Second), Text: "x", Channel: "email",
			Attrs: saydo.Attrs{{Name: "department", Value: "billing"}}, NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()})
		if i%3 == 0 {
			fbs[i].SourceID = fmt.Sprint("k", i)
		}
	}
	insertFeedback(t, s, fbs)
	check(0)
	for round := 1; round <= 4; round++ {
		var batch []saydo.Contact
		n := 3000
		if round == 2 {
			n = 200
		}
		for range n {
			d := r.IntN(45)
			if round == 3 {
				d = 20 // one busy day: every customer
			}
			c := contact(fmt.Sprintf("cust-%d", r.IntN(customers)), day(d).Add(time.Duration(r.IntN(86400000))*time.Millisecond),
				r.Uint64()>>1, "care", saydo.IntentService)
			batch = append(batch, c)
		}
		if round == 4 {
			batch = append(batch, stored[:500]...) // some again
		}
		insertContacts(t, s, batch[:len(batch)/2], batch[len(batch)/2:])
		last = batch
		for _, c := range batch {
			if k := contactString(c); !seen[k] {
				seen[k] = true
				stored = append(stored, c)
			}
		}
		check(round)
	}
}

// testConcurrentCustomerHistory: checks running while contacts are
// imported each see every import committed before they started.
func testConcurrentCustomerHistory(t *testing.T, s saydo.Store) {
	var committed atomic.Int64 // imports done
	stop := make(chan struct{})
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				n := committed.Load()
				if n == 0 {
					continue
				}
				k := (int64(g+i) % n) + 1 // an import committed before this read
				at := day(int(k % 40))
				cs, _, err := s.CustomerHistory(t.Context(), fmt.Sprint("hot-", k), at.Add(-24*time.Hour), at.Add(-24*time.Hour), at.Add(time.Hour))
				if err != nil {
					errs <- err
					return
				}
				if len(cs) != 1 {
					errs <- fmt.Errorf("CustomerHistory(hot-%d) after its import: %d contacts, want 1", k, len(cs))
					return
				}
			}
		}()
	}
	for k := int64(1); k <= 30; k++ {
		batch := []saydo.Contact{contact(fmt.Sprint("hot-", k), day(int(k%40)), uint64(k), "care", saydo.IntentService)}
		for j := range 300 {
			batch = append(batch, contact(fmt.Sprint("cold-", j), day(j%40), uint64(1000*k)+uint64(j), "care", saydo.IntentService))
		}
		insertContacts(t, s, batch)
		committed.Store(k)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// testContactDuplicates: a key already stored for the customer and time
// is skipped, in one batch and across transactions.
func testContactDuplicates(t *testing.T, s saydo.Store) {
	a := contact("c1", day(2), 11, "sales", saydo.IntentOffer)
	b := contact("c1", day(2), 12, "sales", saydo.IntentOffer)
	if got := insertContacts(t, s, []saydo.Contact{a, a, b}); got[0] != 2 {
		t.Errorf("first import inserted %d, want 2", got[0])
	}
	if got := insertContacts(t, s, []saydo.Contact{b, a}); got[0] != 0 {
		t.Errorf("re-import inserted %d, want 0", got[0])
	}
	if n, _ := s.CountContacts(t.Context()); n != 2 {
		t.Errorf("CountContacts = %d, want 2", n)
	}
}

// testContactRollback: nothing of a rolled-back transaction is stored.
func testContactRollback(t *testing.T, s saydo.Store) {
	tx, err := s.BeginContacts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var batch []saydo.Contact
	for i := range 250 {
		batch = append(batch, contact(fmt.Sprint("c", i%7), day(i%30), uint64(i+1), "care", saydo.IntentService))
	}
	if n, err := tx.Insert(batch); err != nil || n != 250 {
		t.Fatalf("Insert = %d, %v", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountContacts(t.Context()); n != 0 {
		t.Errorf("after rollback: %d contacts, want 0", n)
	}
	if got := insertContacts(t, s, batch); got[0] != 250 {
		t.Errorf("after rollback, insert = %d, want 250", got[0])
	}
}

// testComplaints: complaints are feedback of kind complaint with a
// customer, by customer and time, with the department attribute.
func testComplaints(t *testing.T, s saydo.Store) {
	fb := func(key uint64, id, customer, kind string, at time.Time, attrs saydo.Attrs) saydo.Feedback {
		return saydo.Feedback{Key: key, SourceID: id, Customer: customer, Kind: kind, At: at, Text: "x", Channel: "email", Attrs: attrs,
			NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()}
	}
	insertFeedback(t, s, []saydo.Feedback{
		fb(1, "f1", "bob", "complaint", day(5), saydo.Attrs{{Name: "department", Value: "billing"}}),
		fb(2, "", "alice", "complaint", day(9), nil),
		fb(3, "f3", "alice", "complaint", day(2), nil),
		fb(4, "f4", "alice", "survey", day(3), nil),
		fb(5, "f5", "", "complaint", day(3), nil),
	})
	var got []string
	if err := s.ScanComplaints(t.Context(), time.Time{}, time.Time{}, func(c *saydo.Complaint) error {
		got = append(got, fmt.Sprintf("%s %s %s %s", c.Customer, c.ID, c.At.Format(time.DateOnly), c.Department))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"alice f3 2026-03-04 ", "alice 2 2026-03-11 ", "bob f1 2026-03-07 billing"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ScanComplaints = %q, want %q", got, want)
	}
	cs, err := s.CustomerComplaints(t.Context(), "alice", day(0), day(9))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ID != "f3" || cs[0].Channel != "email" {
		t.Errorf("CustomerComplaints(alice, [day0, day9)) = %+v, want f3 alone", cs)
	}
}

// testMessageIntent: a message's intent and suppress conditions are kept,
// and changing them makes a new version.
func testMessageIntent(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	m := saydo.Message{ID: "upsell-sms", Channel: "sms", Department: "sales", Body: "Hi, go Unlimited.", Intent: saydo.IntentOffer}
	if v, changed, err := s.PutMessage(ctx, m); err != nil || v != 1 || !changed {
		t.Fatalf("PutMessage = %d, %v, %v", v, changed, err)
	}
	m.Suppress = []string{saydo.SuppressComplaint}
	if v, changed, err := s.PutMessage(ctx, m); err != nil || v != 2 || !changed {
		t.Fatalf("PutMessage with suppress = %d, %v, %v; want a new version", v, changed, err)
	}
	ms, err := s.Messages(ctx)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Messages = %v, %v", ms, err)
	}
	if got := ms[0]; got.Intent != saydo.IntentOffer || len(got.Suppress) != 1 || got.Suppress[0] != saydo.SuppressComplaint {
		t.Errorf("stored message: intent %q, suppress %q", got.Intent, got.Suppress)
	}
	vs, err := s.MessageVersions(ctx, "upsell-sms")
	if err != nil || len(vs) != 2 || vs[0].Intent != saydo.IntentOffer || len(vs[0].Suppress) != 0 {
		t.Errorf("versions: %+v, %v", vs, err)
	}
}

// packedContacts decodes every contact pack of months [lo, hi], as Contacts
// by day, then (customer, At, Key), as ScanContacts returns them.
func packedContacts(t *testing.T, s saydo.Store, lo, hi int64) []saydo.Contact {
	t.Helper()
	kinds, err := s.ContactKinds(t.Context())
	if err != nil {
		t.Fatalf("ContactKinds: %v", err)
	}
	type bucketDay struct {
		bucket int
		month  int64
	}
	last := bucketDay{-1, 0}
	byDay := map[int64][]saydo.Contact{}
	if err := s.ScanContactPacks(t.Context(), lo, hi, func(bucket int, m int64, packs [][]byte) error {
		if bucket < last.bucket || bucket == last.bucket && m <= last.month {
			t.Errorf("ScanContactPacks: bucket %d month %d after bucket %d month %d", bucket, m, last.bucket, last.month)
		}
		last = bucketDay{bucket, m}
		cs, err := saydo.DecodeContactMonth(m, packs, kinds, nil)
		if err != nil {
			return err
		}
		var day []saydo.Contact
		for i, c := range cs {
			if i > 0 && (c.At < cs[i-1].At || c.At == cs[i-1].At && c.Key < cs[i-1].Key) {
				t.Errorf("month %d: contact %d out of (At, Key) order", m, i)
			}
			if got := saydo.ContactMonth(c.Time()); got != m {
				t.Errorf("contact %s@%d in the packs of month %d, not %d", c.Customer, c.At, m, got)
			}
			if got := saydo.ContactBucket(c.Customer); got != bucket {
				t.Errorf("contact of %s in the packs of bucket %d, not %d", c.Customer, bucket, got)
			}
			day = append(day, saydo.Contact{Key: c.Key, SourceID: c.SourceID, Customer: c.Customer, At: c.Time(), Department: c.Kind.Department,
				Channel: c.Kind.Channel, Intent: c.Kind.Intent, Message: c.Kind.Message})
		}
		for _, c := range day {
			d := c.At.Unix() / 86400
			byDay[d] = append(byDay[d], c)
		}
		return nil
	}); err != nil {
		t.Fatalf("ScanContactPacks: %v", err)
	}
	days := make([]int64, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	var out []saydo.Contact
	for _, d := range days {
		cs := byDay[d]
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Customer < cs[j].Customer })
		out = append(out, cs...)
	}
	return out
}

// CheckContactPacks fails t unless the store's contact packs hold every
// stored contact once, with the fields ScanContacts returns, and returns
// those. A store's test of its upgrade (packs built for contacts that
// predate them) calls it.
func CheckContactPacks(t *testing.T, s saydo.Store) []saydo.Contact {
	t.Helper()
	want := scanContacts(t, s, time.Time{}, time.Time{})
	got := packedContacts(t, s, math.MinInt64, math.MaxInt64)
	if len(got) != len(want) {
		t.Fatalf("packs hold %d contacts, the table %d", len(got), len(want))
	}
	for i := range want {
		if !sameContact(got[i], want[i]) {
			t.Fatalf("contact %d: packs %+v, table %+v", i, got[i], want[i])
		}
	}
	return want
}

// testContactPacks: the packs hold every stored contact once, with the
// fields the table kept, whatever the imports (repeats within and across
// imports, a repeat with other fields, rolled-back imports, any order).
func testContactPacks(t *testing.T, s saydo.Store) {
	r := rand.New(rand.NewPCG(7, 8))
	var all []saydo.Contact
	depts := []string{"sales", "care", "billing"}
	for i := range 3000 {
		c := saydo.Contact{Key: uint64(r.IntN(1 << 40)), Customer: fmt.Sprintf("cust-%d", r.IntN(300)),
			At:         day(r.IntN(40) - 3).Add(time.Duration(r.IntN(86400000)) * time.Millisecond),
			Department: depts[r.IntN(3)], Channel: "sms", Intent: saydo.Intents[r.IntN(len(saydo.Intents))]}
		if i%3 == 0 {
			c.SourceID = fmt.Sprint("src-", i)
			c.Message = "m-" + c.Department
		}
		if i%50 == 0 && i > 0 { // same instant as another of the customer's
			c.At = all[i-1].At
			c.Customer = all[i-1].Customer
		}
		all = append(all, c)
	}
	// A rolled-back import leaves no packs.
	tx, err := s.BeginContacts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert(all[:500]); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	insertContacts(t, s, all[:1000], all[500:1500]) // repeats across batches
	changed := append([]saydo.Contact(nil), all[1200:1300]...)
	for i := range changed {
		changed[i].Department = "changed" // a repeat with other fields: the table keeps the first
	}
	insertContacts(t, s, append(changed, all[1500:2000]...))
	insertContacts(t, s, all[:2000]) // all repeats: adds nothing
	shuffled := append([]saydo.Contact(nil), all[2000:]...)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	insertContacts(t, s, append(shuffled, shuffled[:100]...))

	want := CheckContactPacks(t, s)
	// A range of days.
	lo, hi := saydo.ContactMonth(day(5)), saydo.ContactMonth(day(5))
	ranged := packedContacts(t, s, lo, hi)
	n := 0
	for _, c := range want {
		if m := saydo.ContactMonth(c.At); m >= lo && m <= hi {
			if n >= len(ranged) || !sameContact(ranged[n], c) {
				t.Fatalf("months %d..%d: contact %d differs", lo, hi, n)
			}
			n++
		}
	}
	if n != len(ranged) {
		t.Errorf("months %d..%d: packs hold %d contacts, the table %d", lo, hi, len(ranged), n)
	}
}

// testConcurrentContactKinds: imports that run at once and add the same
// new kinds store each kind once, and every contact's pack names it.
func testConcurrentContactKinds(t *testing.T, s saydo.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tx, err := s.BeginContacts(t.Context())
			if err != nil {
				errs <- err
				return
			}
			defer tx.Rollback()
			var batch []saydo.Contact
			for i := range 200 {
				c := contact(fmt.Sprintf("g%d-c%d", g, i%20), day(i%9), uint64(g*1000+i+1), []string{"sales", "care", "new-dept"}[i%3], saydo.Intents[i%len(saydo.Intents)])
				c.Message = fmt.Sprint("msg-", i%4)
				batch = append(batch, c)
			}
			if _, err := tx.Insert(batch); err != nil {
				errs <- err
				return
			}
			errs <- tx.Commit()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	kinds, err := s.ContactKinds(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[saydo.PackedKind]int64{}
	for id, k := range kinds {
		if other, ok := seen[*k]; ok {
			t.Errorf("kind %+v stored twice: ids %d and %d", *k, other, id)
		}
		seen[*k] = id
	}
	if got := CheckContactPacks(t, s); len(got) != 800 {
		t.Errorf("%d contacts, want 800", len(got))
	}
}

// testCrossedContactKinds: two imports that each add a kind the other adds
// later, in crossed order, both commit (none waits for the other's kinds
// until it ends, which would deadlock).
func testCrossedContactKinds(t *testing.T, s saydo.Store) {
	x := contact("a", day(1), 1, "crossed-x", saydo.IntentService)
	y := contact("b", day(1), 2, "crossed-y", saydo.IntentService)
	x2, y2 := x, y
	x2.Key, y2.Key = 3, 4
	a, err := s.BeginContacts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Rollback()
	if _, err := a.Insert([]saydo.Contact{x}); err != nil {
		t.Fatal(err)
	}
	added := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		// A store with one writer at a time waits here until a commits.
		b, err := s.BeginContacts(t.Context())
		if err != nil {
			done <- err
			return
		}
		defer b.Rollback()
		if _, err := b.Insert([]saydo.Contact{y}); err != nil {
			done <- err
			return
		}
		close(added)
		if _, err := b.Insert([]saydo.Contact{x2}); err != nil {
			done <- err
			return
		}
		done <- b.Commit()
	}()
	select {
	case <-added:
	case <-time.After(2 * time.Second): // the store serialises writers
	}
	if _, err := a.Insert([]saydo.Contact{y2}); err != nil {
		t.Fatalf("a: %v", err)
	}
	if err := a.Commit(); err != nil {
		t.Fatalf("a: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("b: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("b did not finish")
	}
	if got := CheckContactPacks(t, s); len(got) != 4 {
		t.Errorf("%d contacts, want 4", len(got))
	}
}
