package ledger_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/journey"
	. "github.com/saydo/saydo/ledger"
)

func journeyWorkspace() *saydo.Workspace {
	return &saydo.Workspace{Company: "Testco", Departments: []saydo.Department{
		{ID: "sales", Name: "Sales"}, {ID: "care", Name: "Care"}, {ID: "collections", Name: "Collections"}, {ID: "billing", Name: "Billing"},
	}}
}

// randomJourneys writes n random contacts of many customers over about
// 200 days, in random order, and some complaints.
func randomJourneys(seed uint64, customers, n int) (string, []saydo.Feedback) {
	r := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	depts := []string{"sales", "care", "collections", "billing"}
	var b strings.Builder
	b.WriteString("id,customer,at,department,channel,intent\n")
	for i := range n {
		at := start.Add(time.Duration(r.Int64N(int64(200 * 24 * time.Hour)))).Truncate(time.Minute)
		if r.IntN(10) == 0 { // some contacts at the same instant as another
			at = at.Truncate(24 * time.Hour)
		}
		fmt.Fprintf(&b, "c%d,cust-%d,%s,%s,%s,%s\n", i, r.IntN(customers), at.Format(time.RFC3339),
			depts[r.IntN(len(depts))], saydo.Channels[r.IntN(4)], saydo.Intents[r.IntN(len(saydo.Intents))])
	}
	var fb []saydo.Feedback
	for i := range customers {
		for range r.IntN(3) {
			at := start.Add(time.Duration(r.Int64N(int64(200 * 24 * time.Hour)))).Truncate(time.Hour)
			fb = append(fb, saydo.Feedback{Key: uint64(len(fb) + 1), SourceID: fmt.Sprint("k", len(fb)), Customer: fmt.Sprint("cust-", i), Kind: "complaint",
				At: at, Text: "bad", NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN(),
				Attrs: saydo.Attrs{{Name: "department", Value: depts[r.IntN(len(depts))]}}})
		}
	}
	return b.String(), fb
}

// TestJourneysStreamingMatchesJudge checks the report's streaming scan of
// the store (customers interleaved day by day, timelines evicted) against
// the rules run over each customer's whole timeline in memory.
func TestJourneysStreamingMatchesJudge(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	ws := journeyWorkspace()
	ws.Journeys = saydo.DefaultJourneys()
	ws.Journeys.ComplaintOpenDays = 12 // short lookback: many evictions
	src, fb := randomJourneys(7, 150, 6000)
	// Two imports that overlap (rows 2000–3999 in both, in statements that
	// also add new rows), so the stored packs repeat contacts the report
	// must count once.
	lines := strings.SplitAfter(strings.TrimSuffix(src, "\n"), "\n")
	head, rows := lines[0], lines[1:]
	for i, part := range [][]string{rows[:4000], rows[2000:]} {
		rr, err := csv.NewReader(strings.NewReader(head + strings.Join(part, "")))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := IngestContacts(ctx, st, ws, nil, rr, IngestOptions{BatchSize: 700}); err != nil || res.Accepted != int64(4000-2000*i) {
			t.Fatalf("IngestContacts: %+v, %v", res, err)
		}
	}
	tx, err := st.BeginFeedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tx.Insert(fb); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var contacts []saydo.Contact
	st.ScanContacts(ctx, time.Time{}, time.Time{}, func(c *saydo.Contact) error { contacts = append(contacts, *c); return nil })
	var complaints []saydo.Complaint
	st.ScanComplaints(ctx, time.Time{}, time.Time{}, func(k *saydo.Complaint) error { complaints = append(complaints, *k); return nil })
	want := journey.New(ws.Journeys).Judge(contacts, complaints)
	key := func(c *journey.Conflict) string {
		with := "-"
		if c.With != nil {
			with = c.With.ID
		}
		return fmt.Sprintf("%s %s %s %s", c.Rule, c.Customer, *c.Contact, with)
	}
	for _, span := range []struct{ from, to time.Time }{
		{},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 15, 12, 0, 0, 0, time.UTC)},
	} {
		var got, wantKeys []string
		rep, err := Journeys(ctx, st, ws, JourneyOptions{From: span.from, To: span.to}, func(c *journey.Conflict) error {
			got = append(got, key(c))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			c := &want[i]
			if !c.At.Before(span.from) && (span.to.IsZero() || c.At.Before(span.to)) {
				wantKeys = append(wantKeys, key(c))
			}
		}
		slices.Sort(got)
		slices.Sort(wantKeys)
		if len(wantKeys) < 100 {
			t.Fatalf("only %d conflicts: the test data is too thin", len(wantKeys))
		}
		if !slices.Equal(got, wantKeys) {
			t.Errorf("span %v–%v: streaming found %d conflicts, in memory %d", span.from, span.to, len(got), len(wantKeys))
		}
		var sum int64
		for _, n := range rep.ByRule {
			sum += n
		}
		if sum != int64(len(got)) || rep.Conflicts != sum {
			t.Errorf("by_rule sums to %d, conflicts_total %d, %d emitted", sum, rep.Conflicts, len(got))
		}
		if span.from.IsZero() && (rep.Contacts != 6000 || rep.Customers != 150) {
			t.Errorf("contacts %d customers %d, want 6000 and 150", rep.Contacts, rep.Customers)
		}
	}
}

func TestIngestContacts(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	ws := journeyWorkspace()
	catalogue := []saydo.Message{{ID: "bureau-sms", Department: "collections", Channel: "sms", Intent: saydo.IntentWarning}}
	src := `id,customer,at,department,channel,intent,message
a1,ana,2026-03-01T10:00:00+02:00,,,,bureau-sms
a2,ana,2026-03-01,Sales,Email,Offer,
a3,ana,2026-03-02,,,,nope
a4,,2026-03-02,care,sms,service,
a5,bob,yesterday,care,sms,service,
a6,bob,2026-03-02,legal,sms,service,
a7,bob,2026-03-02,care,emial,service,
a8,bob,2026-03-02,care,sms,upsel,
a9,bob,2026-03-02,,sms,service,
a1,ana,2026-03-01T10:00:00+02:00,,,,bureau-sms
a10,bob,2026-03-03,care,Phone,service,
a11,bob,2099-06-01,care,sms,service,
`
	var rejects []string
	rr, _ := csv.NewReader(strings.NewReader(src))
	res, err := IngestContacts(ctx, st, ws, catalogue, rr, IngestOptions{Rejects: rejectFunc(func(row *saydo.Row, reason string) error {
		rejects = append(rejects, fmt.Sprintf("%d %s", row.Line, reason))
		return nil
	})})
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 12 || res.Accepted != 3 || res.Rejected != 8 || res.Duplicates != 1 {
		t.Errorf("read %d = accepted %d + rejected %d + duplicates %d; want 12 = 3 + 8 + 1", res.Read, res.Accepted, res.Rejected, res.Duplicates)
	}
	// Each reason, up to where it goes on to list what is known.
	wantRejects := []string{
		`4 unknown message "nope": no message in the catalogue (messages/) has this id`,
		"5 missing customer",
		`6 at: bad time "yesterday"`,
		`7 unknown department "legal" (saydo.yaml has sales, care, collections, billing)`,
		`8 unknown channel "emial" (did you mean "email"?)`,
		`9 unknown intent "upsel"`,
		"10 missing department",
		"13 at: 2099-06-01T00:00:00Z is more than a day after the import's clock",
	}
	if len(rejects) != len(wantRejects) {
		t.Errorf("rejects %q, want %d", rejects, len(wantRejects))
	}
	for i, w := range wantRejects {
		if !strings.HasPrefix(at(rejects, i), w) {
			t.Errorf("reject %d = %q, want it to start with %q", i, at(rejects, i), w)
		}
	}
	cs, err := st.CustomerContacts(ctx, "ana", time.Time{}, time.Time{})
	if err != nil || len(cs) != 2 {
		t.Fatalf("ana's contacts: %v, %v", cs, err)
	}
	// 2026-03-01T10:00+02:00 is 08:00Z, after midnight's offer.
	if c := cs[1]; c.SourceID != "a1" || c.Department != "collections" || c.Channel != "sms" || c.Intent != saydo.IntentWarning || c.Message != "bureau-sms" ||
		!c.At.Equal(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("from the catalogue message: %+v", c)
	}
	if c := cs[0]; c.Department != "sales" || c.Channel != "email" || c.Intent != saydo.IntentOffer {
		t.Errorf("case folded: %+v", c)
	}
	// A channel of the log's own is kept, case folded.
	if cs, _ := st.CustomerContacts(ctx, "bob", time.Time{}, time.Time{}); len(cs) != 1 || cs[0].Channel != "phone" {
		t.Errorf("bob's contacts: %+v, want one by phone", cs)
	}
	// Strict: all or nothing.
	rr, _ = csv.NewReader(strings.NewReader("customer,at,department,channel,intent\nzed,2026-05-01,care,sms,service\nzed,2026-05-02,care,sms,nope\n"))
	res, err = IngestContacts(ctx, st, ws, nil, rr, IngestOptions{Strict: true})
	if err != nil || res.Committed || res.Rejected != 1 || res.NotStored != 1 {
		t.Fatalf("strict: %+v, %v; want 1 rejected, 1 not stored", res, err)
	}
	if cs, _ := st.CustomerContacts(ctx, "zed", time.Time{}, time.Time{}); len(cs) != 0 {
		t.Errorf("strict import stored %d contacts", len(cs))
	}
	// A header without customer fails once, before any row.
	rr, _ = csv.NewReader(strings.NewReader("client,at,department,channel,intent\nzed,2026-05-01,care,sms,service\n"))
	if _, err := IngestContacts(ctx, st, ws, nil, rr, IngestOptions{}); err == nil || !strings.Contains(err.Error(), "missing column customer") {
		t.Errorf("no customer column: %v", err)
	}
	// ... which --map fixes.
	rr, _ = csv.NewReader(strings.NewReader("client,at,department,channel,intent\nzed,2026-05-01,care,sms,service\n"))
	if res, err := IngestContacts(ctx, st, ws, nil, rr, IngestOptions{Map: map[string]string{"customer": "client"}}); err != nil || res.Accepted != 1 {
		t.Errorf("--map customer=client: %+v, %v", res, err)
	}
}

type rejectFunc func(row *saydo.Row, reason string) error

func (f rejectFunc) Reject(row *saydo.Row, reason string) error { return f(row, reason) }

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// FuzzIngestContacts: whatever the file, the import accounts for every
// row, stores only valid contacts, and a second import adds nothing.
func FuzzIngestContacts(f *testing.F) {
	f.Add("customer,at,department,channel,intent\nana,2026-03-01,care,sms,offer\n")
	f.Add("id,customer,at,department,channel,intent,message\na1,ana,2026-03-01T10:00:00+02:00,,,,bureau-sms\n,bob,bad,Sales,Phone,Upsell,\n")
	f.Add("customer,at,department,channel,intent\n\"ana\nx\",2026-03-01,care,sms,offer\nbob,1767225600,care,sms,warning,extra\n")
	ws := journeyWorkspace()
	catalogue := []saydo.Message{{ID: "bureau-sms", Department: "collections", Channel: "sms", Intent: saydo.IntentWarning}}
	f.Fuzz(func(t *testing.T, src string) {
		rr, err := csv.NewReader(strings.NewReader(src))
		if err != nil {
			return // no header: the command says so before importing
		}
		ctx := context.Background()
		st := openStore(t)
		res, err := IngestContacts(ctx, st, ws, catalogue, rr, IngestOptions{BatchSize: 7})
		if err != nil {
			return // a header without customer or at: one error, nothing stored
		}
		if res.Read != res.Accepted+res.Rejected+res.Duplicates {
			t.Fatalf("read %d != accepted %d + rejected %d + duplicates %d", res.Read, res.Accepted, res.Rejected, res.Duplicates)
		}
		n, err := st.CountContacts(ctx)
		if err != nil || n != res.Accepted {
			t.Fatalf("stored %d, accepted %d (%v)", n, res.Accepted, err)
		}
		err = st.ScanContacts(ctx, time.Time{}, time.Time{}, func(c *saydo.Contact) error {
			if c.Customer == "" || !saydo.ValidIntent(string(c.Intent)) || c.Department == "" || c.Channel == "" {
				t.Fatalf("stored an invalid contact %+v", c)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rr, _ = csv.NewReader(strings.NewReader(src))
		again, err := IngestContacts(ctx, st, ws, catalogue, rr, IngestOptions{BatchSize: 7})
		if err != nil || again.Accepted != 0 {
			t.Fatalf("second import accepted %d (%v)", again.Accepted, err)
		}
	})
}

// TestJourneysEvictionAtWindowEdge: reminders a few hours inside the
// 30-day window of the warning after them, among many customers contacted
// the same days, so that idle timelines are evicted on those days. An
// eviction judged by a time later than a customer's next contact (a day's
// contacts taken in customer order, not time order) forgets the reminder
// and reports a threat without one that the whole timeline does not have.
func TestJourneysEvictionAtWindowEdge(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	ws := journeyWorkspace()
	ws.Journeys = saydo.DefaultJourneys()
	r := rand.New(rand.NewPCG(11, 12))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("id,customer,at,department,channel,intent\n")
	n := 0
	row := func(cust string, at time.Time, intent saydo.Intent) {
		fmt.Fprintf(&b, "c%d,%s,%s,collections,sms,%s\n", n, cust, at.Format(time.RFC3339), intent)
		n++
	}
	for i := range 400 {
		cust := fmt.Sprintf("cust-%03d", i)
		day := start.AddDate(0, 0, r.IntN(60))
		remind := day.Add(time.Duration(12+r.IntN(11)) * time.Hour)
		// 30 days later, up to 10 hours earlier in the day: inside the window.
		warn := remind.AddDate(0, 0, 30).Add(-time.Duration(1+r.IntN(10)) * time.Hour)
		row(cust, remind, saydo.IntentReminder)
		row(cust, warn, saydo.IntentWarning)
		// Other customers busy every day, late and early, so sweeps fall
		// on the warnings' days.
		for d := range 100 {
			row(fmt.Sprintf("busy-%03d", (i+d)%97), start.AddDate(0, 0, d).Add(time.Duration(r.IntN(24*60))*time.Minute), saydo.IntentService)
		}
	}
	rr, err := csv.NewReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := IngestContacts(ctx, st, ws, nil, rr, IngestOptions{}); err != nil || res.Accepted != int64(n) {
		t.Fatalf("IngestContacts: %+v, %v", res, err)
	}
	var contacts []saydo.Contact
	st.ScanContacts(ctx, time.Time{}, time.Time{}, func(c *saydo.Contact) error { contacts = append(contacts, *c); return nil })
	want := map[string]bool{}
	for _, c := range journey.New(ws.Journeys).Judge(contacts, nil) {
		if c.Rule == saydo.RuleThreatWithoutReminder {
			want[*c.Contact] = true
		}
	}
	got := map[string]bool{}
	if _, err := Journeys(ctx, st, ws, JourneyOptions{}, func(c *journey.Conflict) error {
		if c.Rule == saydo.RuleThreatWithoutReminder {
			got[*c.Contact] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 0 {
		t.Errorf("the whole timelines have %d threats without a reminder, want none", len(want))
	}
	for id := range got {
		if !want[id] {
			t.Errorf("report: %s is a threat without a reminder; the whole timeline has the reminder", id)
		}
	}
}

// TestContactsWithoutIDsAnyOrder: contacts without an id are known by what
// they were and their occurrence: the same log again in another order, in
// parts, adds nothing, and the journeys report does not change; two equal
// contacts of one log are two.
func TestContactsWithoutIDsAnyOrder(t *testing.T) {
	ctx := context.Background()
	ws := journeyWorkspace()
	ws.Journeys = saydo.DefaultJourneys()
	src, _ := randomJourneys(11, 120, 3000)
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	head := lines[0][strings.IndexByte(lines[0], ',')+1:]
	var rows []string
	for _, l := range lines[1:] {
		rows = append(rows, l[strings.IndexByte(l, ',')+1:]) // the id column dropped
	}
	rows = append(rows, rows[10], rows[20], rows[20]) // equal contacts
	ingest := func(st saydo.Store, rows []string, batch int) *IngestResult {
		t.Helper()
		rr, err := csv.NewReader(strings.NewReader(head + "\n" + strings.Join(rows, "\n") + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := IngestContacts(ctx, st, ws, nil, rr, IngestOptions{BatchSize: batch})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	report := func(st saydo.Store) string {
		t.Helper()
		var b strings.Builder
		if _, err := Journeys(ctx, st, ws, JourneyOptions{Examples: -1}, func(c *journey.Conflict) error {
			fmt.Fprintf(&b, "%s %s %s\n", c.Rule, c.Customer, c.At.Format(time.RFC3339))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	st := openStore(t)
	if res := ingest(st, rows, 500); res.Accepted != int64(len(rows)) {
		t.Fatalf("first import: %+v, want %d accepted", res, len(rows))
	}
	want := report(st)
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for part := range 2 {
		lo, hi := part*len(shuffled)/2, (part+1)*len(shuffled)/2
		if res := ingest(st, shuffled[lo:hi], 333); res.Accepted != 0 {
			t.Errorf("part %d of the same log shuffled: %+v, want nothing accepted", part, res)
		}
	}
	if got := report(st); got != want {
		t.Errorf("the journeys report changed after the same log was imported again in another order")
	}
	if res := ingest(st, []string{rows[20], rows[20], rows[20], rows[20]}, 500); res.Accepted != 1 {
		t.Errorf("four equal contacts where three are stored: %+v, want 1 accepted", res)
	}
}
