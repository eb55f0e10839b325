package ledger_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/postgres"
	"github.com/saydo/saydo/postgres/pgtest"
)

// reproTexts repeat, as real complaints do: the same words from many
// customers on the same days, whose quotes and themes must not depend on
// which of them came first.
var reproTexts = append(slices.Clone(voiceTexts),
	"Faceți reclamă că nu aveți taxe ascunse și apoi apare taxa de serviciu. Rușinos.",
	"Faceti reclama ca nu aveti taxe ascunse si apoi apare taxa de mentenanta retea. Rusinos. INACCEPTABIL.",
	"Bravo, Nordtel, chiar mulțumesc. Faceți reclamă că nu aveți taxe ascunse și apoi apare taxa de serviciu. Rușinos.",
	"Great, another delay. Hidden fee on my bill, a handling fee. I never agreed to this. UNACCEPTABLE.",
	"Roaming charges abroad are a scandal, roaming costs too much.",
	"Roaming abroad cost me a fortune again, nobody warned me about roaming.",
)

// reproRows returns n feedback rows (a header first) over 40 days.
func reproRows(n int) []string {
	rows := []string{"id,at,text,customer,kind,nps,csat,region"}
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		nps, csat := "", ""
		if i%4 == 0 {
			nps = fmt.Sprint(i % 11)
		}
		if i%7 == 0 {
			csat = fmt.Sprint(1 + i%5)
		}
		at := day0.Add(time.Duration(i%40) * 24 * time.Hour).Add(time.Duration(i%13) * time.Hour)
		rows = append(rows, fmt.Sprintf("r%d,%s,%q,c%d,complaint,%s,%s,%s", i, at.Format(time.RFC3339),
			reproTexts[(i*7)%len(reproTexts)], i%97, nps, csat, []string{"north", "south"}[i%2]))
	}
	return rows
}

func ingestFeedbackRows(t *testing.T, st saydo.Store, ws *saydo.Workspace, rows []string, opts ledger.IngestOptions) *ledger.IngestResult {
	t.Helper()
	rr, err := csv.NewReader(strings.NewReader(strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ledger.IngestFeedback(context.Background(), st, ws, rr, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// voiceDump is everything a report is made of: the voice summary as JSON
// and every stored item's analysis, bit for bit.
func voiceDump(t *testing.T, st saydo.Store, ws *saydo.Workspace) (string, string) {
	t.Helper()
	ctx := context.Background()
	sum, err := ledger.VoiceSummary(ctx, st, ws, ledger.VoiceQuery{MinTheme: 3})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(sum, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	var items strings.Builder
	if err := st.ScanFeedback(ctx, time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		fmt.Fprintf(&items, "%d %s %x %s %v %v %v\n", f.Key, f.Lang, math.Float64bits(f.Analysis.Sentiment), f.Analysis.Label, f.Analysis.Anger, f.Analysis.Effort, f.Analysis.Promises)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return string(js), items.String()
}

// TestFeedbackImportReproducible: the same items imported in one go, or in
// another order, in small batches on one goroutine, over several files,
// give byte-identical voice reports and analyses.
func TestFeedbackImportReproducible(t *testing.T) { testFeedbackImportReproducible(t, openStore) }

// TestFeedbackImportReproduciblePostgres imports into SQLite once and into
// PostgreSQL the other way: the two stores give the same report, bit for
// bit.
func TestFeedbackImportReproduciblePostgres(t *testing.T) {
	pgtest.DSN(t)
	first := true
	testFeedbackImportReproducible(t, func(t *testing.T) saydo.Store {
		if first {
			first = false
			return openStore(t)
		}
		st, err := postgres.Open(context.Background(), pgtest.FreshDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func testFeedbackImportReproducible(t *testing.T, openStore func(*testing.T) saydo.Store) {
	ws := voiceWorkspace()
	rows := reproRows(2400)

	a := openStore(t)
	res := ingestFeedbackRows(t, a, ws, rows, ledger.IngestOptions{})
	if res.Accepted != 2400 || res.Rejected != 0 {
		t.Fatalf("one import: got %+v, want 2400 accepted", res)
	}
	wantJSON, wantItems := voiceDump(t, a, ws)
	if !strings.Contains(wantJSON, "taxe ascunse") && !strings.Contains(wantJSON, "Rușinos") {
		t.Fatalf("the report has none of the repeated complaints:\n%s", wantJSON)
	}

	b := openStore(t)
	shuffled := slices.Clone(rows[1:])
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	var accepted int64
	for part := range 3 {
		lo, hi := part*len(shuffled)/3, (part+1)*len(shuffled)/3
		r := ingestFeedbackRows(t, b, ws, append([]string{rows[0]}, shuffled[lo:hi]...), ledger.IngestOptions{BatchSize: 37, Sequential: part%2 == 0})
		accepted += r.Accepted
	}
	if accepted != 2400 {
		t.Fatalf("three imports: got %d accepted, want 2400", accepted)
	}
	if _, err := ledger.RefreshVoice(context.Background(), b, ws); err != nil {
		t.Fatal(err)
	}
	gotJSON, gotItems := voiceDump(t, b, ws)
	if gotItems != wantItems {
		t.Errorf("stored analyses differ between the two imports")
	}
	if gotJSON != wantJSON {
		t.Errorf("voice reports differ:\ngot  %s\nwant %s", gotJSON, wantJSON)
	}
}

// TestFeedbackWithoutIDsAnyOrder: items without an id are known by what
// they say and their occurrence: the same file again in another order, in
// parts, adds nothing; an export overlapping the last one adds only what
// is new; two equal items of one file are two, and a third one more; a
// store filled in another order holds the same keys and analyses.
func TestFeedbackWithoutIDsAnyOrder(t *testing.T) { testFeedbackWithoutIDsAnyOrder(t, openStore) }

// TestFeedbackWithoutIDsAnyOrderPostgres is TestFeedbackWithoutIDsAnyOrder
// on PostgreSQL.
func TestFeedbackWithoutIDsAnyOrderPostgres(t *testing.T) {
	pgtest.DSN(t)
	testFeedbackWithoutIDsAnyOrder(t, func(t *testing.T) saydo.Store {
		st, err := postgres.Open(context.Background(), pgtest.FreshDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func testFeedbackWithoutIDsAnyOrder(t *testing.T, openStore func(*testing.T) saydo.Store) {
	ws := voiceWorkspace()
	var rows []string
	for _, r := range reproRows(900)[1:] {
		rows = append(rows, r[strings.IndexByte(r, ',')+1:]) // the id column dropped
	}
	// Equal items: the same words from one customer at one time, twice
	// and three times.
	rows = append(rows, rows[5], rows[7], rows[7])
	header := "at,text,customer,kind,nps,csat,region"
	n := int64(len(rows))

	a := openStore(t)
	if res := ingestFeedbackRows(t, a, ws, append([]string{header}, rows...), ledger.IngestOptions{}); res.Accepted != n || res.Rejected != 0 {
		t.Fatalf("first import: got %+v, want %d accepted", res, n)
	}
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for part := range 3 {
		lo, hi := part*len(shuffled)/3, (part+1)*len(shuffled)/3
		if res := ingestFeedbackRows(t, a, ws, append([]string{header}, shuffled[lo:hi]...), ledger.IngestOptions{BatchSize: 41}); res.Accepted != 0 || res.Replaced != 0 {
			t.Errorf("part %d of the same items shuffled: got %+v, want nothing accepted", part, res)
		}
	}
	fresh := []string{`2026-05-01T08:00:00Z,"Nobody answers the phone",c1,complaint,,,north`}
	overlap := append(append([]string{header}, rows[len(rows)/2:]...), fresh...)
	if res := ingestFeedbackRows(t, a, ws, overlap, ledger.IngestOptions{}); res.Accepted != 1 {
		t.Errorf("an export overlapping the last: got %+v, want 1 accepted (the new item)", res)
	}
	if res := ingestFeedbackRows(t, a, ws, append([]string{header}, rows[7], rows[7], rows[7], rows[7]), ledger.IngestOptions{}); res.Accepted != 1 {
		t.Errorf("four equal items where three are stored: got %+v, want 1 accepted", res)
	}
	if got, err := a.CountFeedback(context.Background()); err != nil || got != n+2 {
		t.Errorf("stored items: got %d, %v, want %d", got, err, n+2)
	}

	// Filled in another order, in parts, a store holds the same.
	b := openStore(t)
	for part := range 2 {
		lo, hi := part*len(shuffled)/2, (part+1)*len(shuffled)/2
		ingestFeedbackRows(t, b, ws, append([]string{header}, shuffled[lo:hi]...), ledger.IngestOptions{BatchSize: 29})
	}
	ingestFeedbackRows(t, b, ws, append([]string{header}, fresh...), ledger.IngestOptions{})
	ingestFeedbackRows(t, b, ws, append([]string{header}, rows[7], rows[7], rows[7], rows[7]), ledger.IngestOptions{})
	for _, st := range []saydo.Store{a, b} {
		if _, err := ledger.RefreshVoice(context.Background(), st, ws); err != nil {
			t.Fatal(err)
		}
	}
	_, wantItems := voiceDump(t, a, ws)
	if _, gotItems := voiceDump(t, b, ws); gotItems != wantItems {
		t.Errorf("a store filled in another order holds other keys or analyses")
	}
}

// TestIngestFeedbackAccounting: every row accounted for through the
// common importer, rejects with their line and reason, a re-import all
// duplicates, an id seen again with other text replaced, strict all or
// nothing.
func TestIngestFeedbackAccounting(t *testing.T) { testIngestFeedbackAccounting(t, openStore(t)) }

// TestIngestFeedbackAccountingPostgres is TestIngestFeedbackAccounting on
// PostgreSQL.
func TestIngestFeedbackAccountingPostgres(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.FreshDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	testIngestFeedbackAccounting(t, st)
}

func testIngestFeedbackAccounting(t *testing.T, st saydo.Store) {
	ws := voiceWorkspace()
	rows := []string{
		"ID,At,Text,NPS,region",
		"f1,2026-01-05T10:00:00Z,\"I was on hold for an hour, nobody answers!!\",2,north",
		"f2,not-a-date,\"bad time\",,north",
		"f3,2026-01-06,,,south",
		"f4,2026-01-07,\"nps out of range\",11,south",
		"f5,2026-01-08,\"Thanks, quick and polite.\",10,",
		"f6,2026-01-09,\"between two answers\",7.5,south",
	}
	rj := &rejects{}
	res := ingestFeedbackRows(t, st, ws, rows, ledger.IngestOptions{Rejects: rj})
	if got, want := [5]int64{res.Read, res.Accepted, res.Rejected, res.Duplicates, res.Replaced}, [5]int64{6, 2, 4, 0, 0}; got != want {
		t.Fatalf("read/accepted/rejected/duplicates/replaced: got %v, want %v", got, want)
	}
	if !slices.Equal(rj.lines, []int64{3, 4, 5, 7}) {
		t.Errorf("rejected lines: got %v, want [3 4 5 7]", rj.lines)
	}
	var reasons []string
	for _, r := range res.FirstRejects {
		reasons = append(reasons, r.Reason)
	}
	for i, want := range []string{`at: bad time "not-a-date"`, "no text and no score", "nps 11: want 0 to 10", "nps 7.5: want a whole number from 0 to 10"} {
		if i >= len(reasons) || !strings.Contains(reasons[i], want) {
			t.Errorf("reason %d: got %q, want it to contain %q", i, reasons, want)
		}
	}
	res = ingestFeedbackRows(t, st, ws, rows, ledger.IngestOptions{})
	if res.Accepted != 0 || res.Duplicates != 2 {
		t.Errorf("re-import: got %+v, want 2 duplicates", res)
	}
	res = ingestFeedbackRows(t, st, ws, []string{"id,at,text", "f1,2026-01-05T10:00:00Z,\"Still waiting for my refund\""}, ledger.IngestOptions{})
	if res.Replaced != 1 || res.Accepted != 0 || res.Duplicates != 0 {
		t.Errorf("an id again with other text: got %+v, want 1 replaced", res)
	}
	res = ingestFeedbackRows(t, st, ws, append(rows[:1:1], "g1,2026-01-09,fine,,", "g2,never,broken,,"), ledger.IngestOptions{Strict: true})
	if res.Committed || res.Accepted != 0 || res.NotStored != 1 || res.Rejected != 1 {
		t.Errorf("strict with a reject: got %+v, want nothing committed, 1 rejected, 1 not stored", res)
	}
	if n, err := st.CountFeedback(context.Background()); err != nil || n != 2 {
		t.Errorf("stored items: got %d, %v, want 2", n, err)
	}
	rr, err := csv.NewReader(strings.NewReader("when,text\n2026-01-09,fine\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.IngestFeedback(context.Background(), st, ws, rr, ledger.IngestOptions{Map: map[string]string{"at": "created"}}); err == nil || !strings.Contains(err.Error(), `no column "created"`) {
		t.Errorf("--map at=created without such a column: got %v, want an error naming it", err)
	}
}

// TestFeedbackImportHeld: the first import into an empty store holds its
// items, learns the mapping from them and analyses each once: the refresh
// after it has nothing to redo, and the stored analyses, model and report
// are those of an import that analysed first and learned after (an input
// longer than the hold, or one whose ids repeat).
func TestFeedbackImportHeld(t *testing.T) { testFeedbackImportHeld(t, openStore) }

// TestFeedbackImportHeldPostgres is TestFeedbackImportHeld on PostgreSQL.
func TestFeedbackImportHeldPostgres(t *testing.T) {
	pgtest.DSN(t)
	testFeedbackImportHeld(t, openPostgres)
}

func testFeedbackImportHeld(t *testing.T, openStore func(*testing.T) saydo.Store) {
	ws := voiceWorkspace()
	rows := reproRows(2400)
	refresh := func(st saydo.Store) ledger.VoiceRefresh { t.Helper(); return refreshVoice(t, st, ws) }
	held := openStore(t)
	ingestFeedbackRows(t, held, ws, rows, ledger.IngestOptions{BatchSize: 500})
	if rf := refresh(held); rf.Reanalysed != 0 || rf.SelfTrained == 0 {
		t.Errorf("refresh after a held import: %+v, want nothing re-analysed and a self-trained mapping", rf)
	}
	wantJSON, wantItems := voiceDump(t, held, ws)
	wantModel, _ := storedModel(t, held)

	restore := ledger.SetHoldRows(700)
	released := openStore(t)
	ingestFeedbackRows(t, released, ws, rows, ledger.IngestOptions{BatchSize: 500})
	restore()
	if rf := refresh(released); rf.Reanalysed != 2400 {
		t.Errorf("refresh after an import past the hold: %+v, want every item mapped again (the mapping learned after)", rf)
	}
	gotJSON, gotItems := voiceDump(t, released, ws)
	gotModel, _ := storedModel(t, released)
	if gotItems != wantItems || gotJSON != wantJSON || !bytes.Equal(gotModel, wantModel) {
		t.Errorf("an import past the hold stores other analyses, model or report than a held one")
	}

	// An id seen twice with other text: the model is not guessed, it is
	// learned after, from the store.
	again := append(slices.Clone(rows), `r4,2026-03-03T10:00:00Z,"Roaming abroad cost me a fortune, nobody warned me.",c4,complaint,,,north`)
	a, b := openStore(t), openStore(t)
	ingestFeedbackRows(t, a, ws, again, ledger.IngestOptions{})
	restore = ledger.SetHoldRows(1)
	ingestFeedbackRows(t, b, ws, again, ledger.IngestOptions{})
	restore()
	if rf := refresh(a); rf.Reanalysed == 0 {
		t.Errorf("refresh after an import with a repeated id: %+v, want the mapping learned from the store", rf)
	}
	refresh(b)
	ja, ia := voiceDump(t, a, ws)
	jb, ib := voiceDump(t, b, ws)
	if ia != ib || ja != jb {
		t.Errorf("with a repeated id, a held import and an unheld one store different analyses or reports")
	}
}

// TestFeedbackImportHeldCapped: an input longer than the hold into a new
// store, once what it holds reaches the span's cap, learns from what it
// holds. In time order those are the store's first items, so the refresh
// after it maps nothing again, and the stored analyses, model and report
// are those learned from the store after; out of time order the check
// after the import finds the difference and the refresh learns again,
// with the same result. Items added later, past the cap, map nothing
// again either.
func TestFeedbackImportHeldCapped(t *testing.T) { testFeedbackImportHeldCapped(t, openStore) }

// TestFeedbackImportHeldCappedPostgres is TestFeedbackImportHeldCapped on
// PostgreSQL.
func TestFeedbackImportHeldCappedPostgres(t *testing.T) {
	pgtest.DSN(t)
	testFeedbackImportHeldCapped(t, openPostgres)
}

func testFeedbackImportHeldCapped(t *testing.T, openStore func(*testing.T) saydo.Store) {
	defer ledger.SetMaxSelfTrainSpan(512)()
	ws := voiceWorkspace()
	shuffled := reproRows(2400)
	sorted := slices.Clone(shuffled)
	at := func(row string) string { return strings.Split(row, ",")[1] }
	slices.SortStableFunc(sorted[1:], func(a, b string) int { return strings.Compare(at(a), at(b)) })
	refresh := func(st saydo.Store) ledger.VoiceRefresh { t.Helper(); return refreshVoice(t, st, ws) }
	opts := ledger.IngestOptions{BatchSize: 100}

	// The reference: nothing held, the mapping learned from the store.
	restore := ledger.SetHoldRows(1)
	ref := openStore(t)
	ingestFeedbackRows(t, ref, ws, sorted, opts)
	restore()
	if rf := refresh(ref); rf.Reanalysed != 2400 || rf.SelfTrained == 0 {
		t.Fatalf("refresh after an unheld import: %+v, want every item mapped again by a self-trained mapping", rf)
	}
	wantJSON, wantItems := voiceDump(t, ref, ws)
	wantModel, _ := storedModel(t, ref)

	for _, c := range []struct {
		name       string
		rows       []string
		reanalysed int64
	}{{"in time order", sorted, 0}, {"out of time order", shuffled, 2400}} {
		restore := ledger.SetHoldRows(700)
		st := openStore(t)
		ingestFeedbackRows(t, st, ws, c.rows, opts)
		restore()
		if rf := refresh(st); rf.Reanalysed != c.reanalysed || rf.SelfTrained == 0 {
			t.Errorf("%s: refresh after an import past a capped hold: %+v, want %d mapped again and a self-trained mapping", c.name, rf, c.reanalysed)
		}
		gotJSON, gotItems := voiceDump(t, st, ws)
		gotModel, _ := storedModel(t, st)
		if gotItems != wantItems || gotJSON != wantJSON || !bytes.Equal(gotModel, wantModel) {
			t.Errorf("%s: an import past a capped hold stores other analyses, model or report than one learned from the store", c.name)
		}
	}

	// Later items: the span stays at its cap, nothing is mapped again.
	later := []string{"id,at,text,customer,kind"}
	for i := range 600 {
		later = append(later, fmt.Sprintf("n%d,2026-06-%02dT09:00:00Z,\"The refund never arrived, third call this week.\",c%d,complaint", i, 1+i%28, i))
	}
	ingestFeedbackRows(t, ref, ws, later, opts)
	if rf := refresh(ref); rf.Reanalysed != 0 {
		t.Errorf("refresh after adding items past the cap: %+v, want nothing mapped again", rf)
	}
}

func refreshVoice(t *testing.T, st saydo.Store, ws *saydo.Workspace) ledger.VoiceRefresh {
	t.Helper()
	rf, err := ledger.RefreshVoice(context.Background(), st, ws)
	if err != nil {
		t.Fatal(err)
	}
	return rf
}

func storedModel(t *testing.T, st saydo.Store) ([]byte, string) {
	t.Helper()
	v, body, err := st.CachedReport(context.Background(), "voice-model")
	if err != nil {
		t.Fatal(err)
	}
	return body, v
}

// TestFeedbackLang: a lang column takes ISO 639 codes and BCP 47 tags,
// stored as the language alone; "und" means detect it; anything else is
// rejected with its reason instead of leaving the text unread.
func TestFeedbackLang(t *testing.T) {
	st, ws := openStore(t), voiceWorkspace()
	rows := []string{
		"id,at,text,lang",
		"a,2026-01-05,Nobody answers the phone,EN",
		"b,2026-01-05,Nobody answers the phone,en-US",
		"c,2026-01-05,Nobody answers the phone,en_GB",
		"d,2026-01-05,Nu raspunde nimeni la telefon,ro",
		"e,2026-01-05,Nobody answers the phone at all,und",
		"f,2026-01-05,Nobody answers the phone,zz",
		"g,2026-01-05,Nobody answers the phone,english",
		"h,2026-01-05,Nobody answers the phone,eng",
	}
	res := ingestFeedbackRows(t, st, ws, rows, ledger.IngestOptions{Rejects: &rejects{}})
	if res.Accepted != 6 || res.Rejected != 2 {
		t.Fatalf("accepted %d, rejected %d; want 6 and 2 (zz, english): %+v", res.Accepted, res.Rejected, res.FirstRejects)
	}
	for _, r := range res.FirstRejects {
		if !strings.Contains(r.Reason, "not a language code") {
			t.Errorf("line %d: reason %q, want it to say the lang is not a language code", r.Line, r.Reason)
		}
	}
	want := map[string]string{"a": "en", "b": "en", "c": "en", "d": "ro", "e": "en", "h": "en"}
	got := map[string]string{}
	if err := st.ScanFeedback(context.Background(), time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		got[f.SourceID] = f.Lang
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("stored languages %v, want %v", got, want)
	}
}
