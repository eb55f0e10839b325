package saydo

import (
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestObservationKey(t *testing.T) {
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	base := Observation{Metric: "wait", Value: 30, At: at, Attrs: Attrs{{"region", "north"}}}
	key := func(o Observation, line int64) uint64 { return ObservationKey(&o, line) }
	with := func(f func(*Observation)) Observation {
		o := base
		o.Attrs = append(Attrs(nil), base.Attrs...)
		f(&o)
		return o
	}
	same := []struct {
		name string
		a, b Observation
		la   int64
		lb   int64
	}{
		{"same row, same line", base, base, 7, 7},
		{"same source id, other line and value", with(func(o *Observation) { o.SourceID = "c-1" }), with(func(o *Observation) { o.SourceID = "c-1"; o.Value = 99 }), 3, 9},
	}
	for _, tt := range same {
		if key(tt.a, tt.la) != key(tt.b, tt.lb) {
			t.Errorf("%s: keys differ, want equal", tt.name)
		}
	}
	differ := []struct {
		name string
		b    Observation
		lb   int64
	}{
		{"other line", base, 8},
		{"other value", with(func(o *Observation) { o.Value = 31 }), 7},
		{"other time", with(func(o *Observation) { o.At = at.Add(time.Second) }), 7},
		{"other metric", with(func(o *Observation) { o.Metric = "waits" }), 7},
		{"other attribute", with(func(o *Observation) { o.Attrs[0].Value = "south" }), 7},
		{"attribute boundary moved", with(func(o *Observation) { o.Attrs[0] = Attr{"regio", "nnorth"} }), 7},
		{"source id", with(func(o *Observation) { o.SourceID = "c-1" }), 7},
	}
	for _, tt := range differ {
		if key(base, 7) == key(tt.b, tt.lb) {
			t.Errorf("%s: keys equal, want different", tt.name)
		}
	}
	if k := key(base, 7); int64(k) < 0 {
		t.Errorf("key %d does not fit a signed 64-bit column", k)
	}
}

func BenchmarkObservationKey(b *testing.B) {
	o := Observation{Metric: "call_wait_seconds", Value: 30, At: time.Now(), Attrs: Attrs{{"channel", "phone"}, {"region", "north"}}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ObservationKey(&o, int64(i))
	}
}

// FuzzIndexControl checks that CheckAttr's byte scan finds the first
// control character where a scan of runes finds it, invalid UTF-8 included.
func FuzzIndexControl(f *testing.F) {
	for _, s := range []string{"", "north", "a\tb", "a\x00b", "é\x1fé", "\xff\x01", "\xe2\x82", "ok\x7f", "日本\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := indexControl(s), strings.IndexFunc(s, isControl); got != want {
			t.Errorf("indexControl(%q) = %d, want %d", s, got, want)
		}
	})
}

func TestCheckAttr(t *testing.T) {
	tests := []struct {
		name, attr, value string
		bad               bool
	}{
		{"plain", "region", "north", false},
		{"tab allowed", "region", "a\tb", false},
		{"utf-8", "région", "île-de-france", false},
		{"control in value", "region", "nor\x01th", true},
		{"DEL in value", "region", "north\x7f", true},
		{"control in name", "reg\nion", "north", true},
		{"equals in name", "a=b", "north", true},
		{"too long", "region", strings.Repeat("x", MaxAttrValue+1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckAttr(tt.attr, tt.value); (got != "") != tt.bad {
				t.Errorf("CheckAttr(%q, %q) = %q, want a reason: %v", tt.attr, tt.value, got, tt.bad)
			}
		})
	}
}

func TestLastOfIdentities(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	batch := []Observation{
		{Metric: "m", SourceID: "a", Key: 1, At: at, Value: 1},                // 0: superseded by 1, same: a duplicate
		{Metric: "m", SourceID: "a", Key: 1, At: at, Value: 1},                // 1: superseded by 2, which corrects it
		{Metric: "m", SourceID: "a", Key: 1, At: at.Add(time.Hour), Value: 1}, // 2: last of a
		{Metric: "n", SourceID: "a", Key: 1, At: at, Value: 1},                // 3: another metric: its own identity
		{Metric: "m", Key: 7, At: at, Count: 10, Met: 9},                      // 4: pre-aggregated, superseded, corrected
		{Metric: "m", Key: 7, At: at, Count: 10, Met: 8},                      // 5: last of key 7
		{Metric: "m", SourceID: "b", Key: 2, At: at, Value: math.NaN()},       // 6: superseded, both without a value
		{Metric: "m", SourceID: "b", Key: 2, At: at, Value: math.NaN()},       // 7: last of b
	}
	rows := []int32{0, 1, 2, 3, 4, 5, 6, 7}
	var gone []int32
	carried := map[int32]int{}
	last, replaced := LastOfIdentities(batch, rows, func(i, last int32, differs bool) {
		gone = append(gone, i)
		if differs {
			carried[last]++
		}
	})
	if want := []int32{2, 3, 5, 7}; !slices.Equal(last, want) {
		t.Errorf("last = %v, want %v", last, want)
	}
	if want := []int32{0, 1, 4, 6}; !slices.Equal(gone, want) {
		t.Errorf("superseded = %v, want %v", gone, want)
	}
	if replaced != 2 { // 1 by 2 (time), 4 by 5 (met)
		t.Errorf("replaced = %d, want 2", replaced)
	}
	// Each difference is carried by the last row of its identity.
	if want := map[int32]int{2: 1, 5: 1}; !maps.Equal(carried, want) {
		t.Errorf("carried = %v, want %v", carried, want)
	}
}
