package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// idlessRows returns n rows without ids of one metric over 30 days, many
// of them equal (same six hours, value and region), in time order.
func idlessRows(n int) []string {
	rows := make([]string, n)
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		at := t0.Add(time.Duration(i) * (30 * 24 * time.Hour / time.Duration(n))).Truncate(6 * time.Hour)
		rows[i] = fmt.Sprintf("wait,%d,%s,%s", (i*37)%3, at.Format(time.RFC3339), []string{"north", "south"}[i%2])
	}
	return rows
}

func idlessCSV(rows []string) string {
	return "metric,value,at,region\n" + strings.Join(rows, "\n") + "\n"
}

func shuffledCopy(rows []string, seed uint64) []string {
	out := slices.Clone(rows)
	r := rand.New(rand.NewPCG(seed, 7))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// distinctContents counts the rows that are not equal to an earlier one.
func distinctContents(rows []string) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r] = true
	}
	return len(seen)
}

// TestIdlessRowsKeepTheirKeysInAnyOrder: rows without ids are known by
// what they say and how many equal rows came before them, not by their
// line, so the same rows in another order, or an export that overlaps
// the last one, add nothing twice, while equal rows of one file stay as
// many observations as the file has.
func TestIdlessRowsKeepTheirKeysInAnyOrder(t *testing.T) {
	defer ledger.SetRunRows(500)()
	ws := workspace()
	opts := ledger.IngestOptions{BatchSize: 200, TempDir: t.TempDir()}
	rows := idlessRows(4000)
	if d := distinctContents(rows); d > len(rows)/2 {
		t.Fatalf("the fixture has %d distinct rows of %d: too few equal rows to test", d, len(rows))
	}

	st := openStore(t)
	first, _ := ingest(t, st, ws, idlessCSV(rows), opts)
	if first.Accepted != int64(len(rows)) {
		t.Fatalf("first import: %d accepted of %d rows (equal rows are observations too)", first.Accepted, len(rows))
	}
	for seed := range uint64(3) {
		again, _ := ingest(t, st, ws, idlessCSV(shuffledCopy(rows, seed)), opts)
		if again.Accepted != 0 || again.Duplicates != int64(len(rows)) {
			t.Errorf("the same rows shuffled (seed %d): %d accepted, %d duplicates; want 0 and %d", seed, again.Accepted, again.Duplicates, len(rows))
		}
	}
	reversed := slices.Clone(rows)
	slices.Reverse(reversed)
	if again, _ := ingest(t, st, ws, idlessCSV(reversed), opts); again.Accepted != 0 {
		t.Errorf("the same rows reversed: %d accepted, want 0", again.Accepted)
	}

	// The same rows imported shuffled first and sorted after, in another
	// store, are stored under the same keys.
	other := openStore(t)
	if res, _ := ingest(t, other, ws, idlessCSV(shuffledCopy(rows, 9)), opts); res.Accepted != int64(len(rows)) {
		t.Fatalf("shuffled import into an empty store: %d accepted of %d", res.Accepted, len(rows))
	}
	if res, _ := ingest(t, other, ws, idlessCSV(rows), opts); res.Accepted != 0 {
		t.Errorf("sorted after shuffled: %d accepted, want 0", res.Accepted)
	}
	a, b := stored(t, st, "wait"), stored(t, other, "wait")
	keys := func(os []saydo.Observation) []uint64 {
		k := make([]uint64, len(os))
		for i := range os {
			k[i] = os[i].Key
		}
		slices.Sort(k)
		return k
	}
	if !slices.Equal(keys(a), keys(b)) {
		t.Errorf("the stores hold different keys for the same rows (%d and %d rows)", len(a), len(b))
	}
}

// TestOverlappingExportsAddOnlyWhatIsNew: two exports sharing a third of
// their rows, the second shuffled, store each row once; an export that
// repeats a row once more than the store has adds that one row.
func TestOverlappingExportsAddOnlyWhatIsNew(t *testing.T) {
	defer ledger.SetRunRows(500)()
	ws := workspace()
	opts := ledger.IngestOptions{BatchSize: 200, TempDir: t.TempDir()}
	rows := idlessRows(3000)
	st := openStore(t)
	if res, _ := ingest(t, st, ws, idlessCSV(rows[:2000]), opts); res.Accepted != 2000 {
		t.Fatalf("first export: %d accepted, want 2000", res.Accepted)
	}
	res, _ := ingest(t, st, ws, idlessCSV(shuffledCopy(rows[1000:], 3)), opts)
	if res.Accepted != 1000 || res.Duplicates != 1000 {
		t.Errorf("overlapping export: %d accepted, %d duplicates; want 1000 new rows and 1000 already stored", res.Accepted, res.Duplicates)
	}
	if got := len(stored(t, st, "wait")); got != 3000 {
		t.Errorf("%d observations stored, want the 3000 rows of both exports", got)
	}

	// One row three times, then a file with it twice (nothing new), then
	// four times (one new).
	one := "wait,70,2026-03-01T10:00:00Z,north"
	st = openStore(t)
	for _, c := range []struct{ times, accepted int }{{3, 3}, {2, 0}, {3, 0}, {4, 1}} {
		res, _ := ingest(t, st, ws, idlessCSV(slices.Repeat([]string{one}, c.times)), opts)
		if res.Accepted != int64(c.accepted) {
			t.Errorf("the row %d times: %d accepted, want %d", c.times, res.Accepted, c.accepted)
		}
	}
}

// TestConcatenatedLogs: two time-ordered logs concatenated with the later
// one first (so the import turns to sorting halfway), then a log that grew
// at its end, then everything shuffled: every row is stored once.
func TestConcatenatedLogs(t *testing.T) {
	defer ledger.SetRunRows(500)()
	ws := workspace()
	opts := ledger.IngestOptions{BatchSize: 200, TempDir: t.TempDir()}
	rows := idlessRows(4000)
	st := openStore(t)
	concatenated := append(slices.Clone(rows[2000:3000]), rows[:2000]...)
	if res, _ := ingest(t, st, ws, idlessCSV(concatenated), opts); res.Accepted != 3000 {
		t.Fatalf("concatenated logs: %d accepted, want 3000", res.Accepted)
	}
	if res, _ := ingest(t, st, ws, idlessCSV(rows), opts); res.Accepted != 1000 {
		t.Errorf("the log grown by 1000 rows: %d accepted, want 1000", res.Accepted)
	}
	if res, _ := ingest(t, st, ws, idlessCSV(shuffledCopy(rows, 5)), opts); res.Accepted != 0 {
		t.Errorf("all rows shuffled after: %d accepted, want 0", res.Accepted)
	}
	if got := len(stored(t, st, "wait")); got != 4000 {
		t.Errorf("%d observations stored, want 4000", got)
	}
}

// TestKeysLoseNoRow imports inputs of many shapes into empty stores: every
// row is stored (two rows never share a key, whatever the order and
// however often a row repeats, also long after the import has moved on
// from its time), and the same input again adds nothing.
func TestKeysLoseNoRow(t *testing.T) {
	defer ledger.SetRunRows(300)()
	ws := workspace()
	opts := ledger.IngestOptions{BatchSize: 150, TempDir: t.TempDir()}
	rows := idlessRows(3000)
	repeated := append(slices.Clone(rows), rows[:400]...) // an export appended to itself, in part
	shapes := map[string][]string{
		"sorted":            rows,
		"shuffled":          shuffledCopy(rows, 1),
		"repeated":          repeated,
		"repeated shuffled": shuffledCopy(repeated, 2),
		"doubled":           append(slices.Clone(rows), rows...),
		"late tail":         append(slices.Clone(rows[1500:]), shuffledCopy(rows[:1500], 4)...),
	}
	for _, cap := range []int{0, 3} { // the default window, and one a day overflows
		if cap > 0 {
			defer ledger.SetWindowCap(cap)()
		}
		for name, in := range shapes {
			st := openStore(t)
			res, _ := ingest(t, st, ws, idlessCSV(in), opts)
			if res.Accepted != int64(len(in)) {
				t.Errorf("%s (window cap %d): %d accepted of %d rows", name, cap, res.Accepted, len(in))
			}
			if again, _ := ingest(t, st, ws, idlessCSV(in), opts); again.Accepted != 0 {
				t.Errorf("%s imported again (window cap %d): %d accepted, want 0", name, cap, again.Accepted)
			}
		}
	}
}
