package ledger

import (
	"slices"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestRowKeyerLateRepeats follows a content the keyer has forgotten: met
// again late and then in the sorted stream, its rows get LateKeys, each
// distinct and none equal to the key its first row got, and the same
// input keyed again gets the same keys.
func TestRowKeyerLateRepeats(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	row := func(at time.Time, v float64) saydo.Observation {
		o := saydo.Observation{Metric: "wait", Value: v, At: at}
		o.Key = saydo.ObservationContent(&o)
		return o
	}
	run := func() []uint64 {
		k := newRowKeyer()
		stream := []saydo.Observation{row(t0, 1), row(t0.Add(time.Hour), 2), row(t0.Add(72*time.Hour), 3)}
		late := []saydo.Observation{row(t0, 1), row(t0.Add(time.Hour), 2), row(t0, 1), row(t0.Add(2*time.Hour), 5)}
		sorted := []saydo.Observation{row(t0, 1), row(t0, 1), row(t0.Add(2*time.Hour), 5), row(t0.Add(72*time.Hour), 3)}
		k.key(stream, false)
		k.key(late, false)
		k.key(sorted, true)
		var keys []uint64
		for _, b := range [][]saydo.Observation{stream, late, sorted} {
			for i := range b {
				keys = append(keys, b[i].Key)
			}
		}
		return keys
	}
	keys := run()
	seen := map[uint64]int{}
	for i, k := range keys {
		if j, ok := seen[k]; ok {
			t.Errorf("rows %d and %d share the key %x", j, i, k)
		}
		seen[k] = i
	}
	first := row(t0, 1)
	c := first.Key
	want := map[int]uint64{
		0:  saydo.OccurrenceKey(c, 0), // first seen, in the window
		3:  saydo.LateKey(c, 0),       // forgotten, then met late
		5:  saydo.LateKey(c, 1),
		7:  saydo.LateKey(c, 2), // the sorted run continues the late count
		8:  saydo.LateKey(c, 3),
		6:  saydo.OccurrenceKey(row(t0.Add(2*time.Hour), 5).Key, 0), // late, never seen: counted exactly
		9:  saydo.OccurrenceKey(row(t0.Add(2*time.Hour), 5).Key, 1),
		10: saydo.OccurrenceKey(row(t0.Add(72*time.Hour), 3).Key, 1), // still in the window
	}
	for i, w := range want {
		if keys[i] != w {
			t.Errorf("row %d: key %x, want %x", i, keys[i], w)
		}
	}
	again := run()
	for i := range keys {
		if keys[i] != again[i] {
			t.Errorf("row %d keyed again: %x, first %x", i, again[i], keys[i])
		}
	}
}

// TestBloom: what was added is found; of as many other hashes, few are.
func TestBloom(t *testing.T) {
	b := newBloom()
	var h uint64 = 1469598103934665603
	for i := range uint64(100000) {
		b.add(h ^ i*0x100000001b3)
	}
	for i := range uint64(100000) {
		if !b.has(h ^ i*0x100000001b3) {
			t.Fatalf("hash %d added but not found", i)
		}
	}
	fp := 0
	for i := range uint64(100000) {
		if b.has(^(h ^ i*0x100000001b3) * 31) {
			fp++
		}
	}
	if fp > 100 {
		t.Errorf("%d false positives of 100000, want well under 0.1%% at this load", fp)
	}
	var none *bloom
	if none.has(h) {
		t.Error("a nil filter has something")
	}
}

// TestBloomAtLoad measures the filter's false positives at the loads the
// docs state (scale.md), with hashes as the keyer gives it (FNV of
// distinct contents): under 2% at 13 million contents, under 1 in
// 100,000 at 2 million.
func TestBloomAtLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 15 million adds")
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		n, probes int
		max       float64
	}{{2_000_000, 1_000_000, 1e-5}, {13_000_000, 200_000, 0.02}} {
		b := newBloom()
		for i := range c.n {
			o := saydo.Observation{Metric: "wait", Value: float64(i % 7), At: t0.Add(time.Duration(i) * time.Second)}
			b.add(saydo.ObservationContent(&o))
		}
		fp := 0
		for i := range c.probes {
			o := saydo.Observation{Metric: "other", Value: float64(i), At: t0.Add(time.Duration(i) * time.Second)}
			if b.has(saydo.ObservationContent(&o)) {
				fp++
			}
		}
		rate := float64(fp) / float64(c.probes)
		t.Logf("false positives %d of %d (%.4f%%) at %d contents", fp, c.probes, 100*rate, c.n)
		if rate > c.max {
			t.Errorf("false positives %.4f%% at %d contents, want under %.4f%%", 100*rate, c.n, 100*c.max)
		}
	}
}

// TestContentCounterPastItsCap: past countCap contents, a new content is
// a first and a repeat of one met after the cap gets a LateKey: no two
// rows share a key, and the same input keyed again gets the same keys.
func TestContentCounterPastItsCap(t *testing.T) {
	defer func(n int) { countCap = n }(countCap)
	countCap = 4
	input := []uint64{1, 2, 1, 3, 4, 5, 6, 5, 2, 7, 6, 6}
	keyAll := func() []uint64 {
		k := newContentCounter()
		var out []uint64
		for _, c := range input {
			out = append(out, k.key(c))
		}
		return out
	}
	keys := keyAll()
	want := []uint64{
		saydo.OccurrenceKey(1, 0), saydo.OccurrenceKey(2, 0), saydo.OccurrenceKey(1, 1), saydo.OccurrenceKey(3, 0),
		saydo.OccurrenceKey(4, 0),                            // the fourth content: the cap is reached
		saydo.OccurrenceKey(5, 0), saydo.OccurrenceKey(6, 0), // new, past the cap: firsts
		saydo.LateKey(5, 0),       // a repeat past the cap
		saydo.OccurrenceKey(2, 1), // counted before the cap: still exact
		saydo.OccurrenceKey(7, 0), saydo.LateKey(6, 1), saydo.LateKey(6, 2),
	}
	if !slices.Equal(keys, want) {
		t.Errorf("keys:\n got %x\nwant %x", keys, want)
	}
	if again := keyAll(); !slices.Equal(again, keys) {
		t.Errorf("the same input keyed again got other keys")
	}
	seen := map[uint64]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("key %x given twice", k)
		}
		seen[k] = true
	}
}
