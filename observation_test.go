package saydo

import (
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
