package saydo

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestCustomerFilter(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 513, 5000, 60000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(n), 1))
			var f CustomerFilter
			in := map[string]bool{}
			for range n {
				c := fmt.Sprintf("cust-%d", r.IntN(10*n+1))
				in[c] = true
				f.Add(CustomerHash(c))
			}
			b, err := f.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var g CustomerFilter
			if err := g.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			for c := range in {
				if !g.MayContain(CustomerHash(c)) {
					t.Fatalf("MayContain(%q) = false for a customer added", c)
				}
			}
			// Customers never added: the false positives stay near 1% a
			// layer, a few percent in all.
			fp, tries := 0, 100000
			for i := range tries {
				if g.MayContain(CustomerHash(fmt.Sprintf("other-%d", i))) {
					fp++
				}
			}
			if rate := float64(fp) / float64(tries); rate > 0.04 {
				t.Errorf("false positive rate %.4f with %d customers, want <= 0.04", rate, len(in))
			}
			if n == 0 && fp != 0 {
				t.Errorf("an empty filter said maybe %d times", fp)
			}
		})
	}
}

func TestCustomerFilterMalformed(t *testing.T) {
	var f CustomerFilter
	f.Add(CustomerHash("ana"))
	b, _ := f.MarshalBinary()
	for _, bad := range [][]byte{nil, {}, {2}, b[:len(b)-1], append(append([]byte(nil), b...), 0)} {
		var g CustomerFilter
		if err := g.UnmarshalBinary(bad); err == nil {
			t.Errorf("UnmarshalBinary(%x) = nil, want an error", bad)
		}
	}
}

func FuzzCustomerFilter(f *testing.F) {
	var cf CustomerFilter
	cf.Add(CustomerHash("ana"))
	b, _ := cf.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var g CustomerFilter
		if g.UnmarshalBinary(b) != nil {
			return
		}
		g.MayContain(CustomerHash("bob"))
		g.Add(CustomerHash("bob"))
		if !g.MayContain(CustomerHash("bob")) {
			t.Fatal("bob added but not found")
		}
	})
}

// TestAddToCustomerFilter: a day's customers added at once make one layer
// sized for them; customers added later are found too.
func TestAddToCustomerFilter(t *testing.T) {
	var hs []uint64
	for i := range 30000 {
		hs = append(hs, CustomerHash(fmt.Sprint("c", i)))
	}
	b, err := AddToCustomerFilter(nil, hs[:20000])
	if err != nil {
		t.Fatal(err)
	}
	var f CustomerFilter
	if err := f.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if len(f.layers) != 1 {
		t.Errorf("%d layers for one import of a day, want 1", len(f.layers))
	}
	if b, err = AddToCustomerFilter(b, hs[20000:]); err != nil {
		t.Fatal(err)
	}
	if err := f.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	for i, h := range hs {
		if !f.MayContain(h) {
			t.Fatalf("customer c%d added but not found", i)
		}
	}
	fp := 0
	for i := range 100000 {
		if f.MayContain(CustomerHash(fmt.Sprint("x", i))) {
			fp++
		}
	}
	if fp > 3000 {
		t.Errorf("%d false positives in 100,000, want at most 3,000", fp)
	}
	t.Logf("%d layers, %d false positives in 100,000", len(f.layers), fp)
}

// TestContactDayFilters: Days lists, in order and within the bounds, every
// day whose filter holds the customer; Update replaces changed days and
// keeps the others; Fresh and Since follow the sequence numbers.
func TestContactDayFilters(t *testing.T) {
	enc := func(customers ...string) []byte {
		var hs []uint64
		for _, c := range customers {
			hs = append(hs, CustomerHash(c))
		}
		b, err := AddToCustomerFilter(nil, hs)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var d ContactDayFilters
	if d.Fresh(0) || d.Since() != -1 {
		t.Fatalf("empty: Fresh(0) = %v, Since = %d; want false, -1", d.Fresh(0), d.Since())
	}
	if err := d.Update(3, map[int64][]byte{10: enc("ana"), 12: enc("bob"), 15: enc("ana", "bob"), -2: enc("ana")}); err != nil {
		t.Fatal(err)
	}
	if !d.Fresh(3) || d.Fresh(4) || d.Since() != 3 {
		t.Errorf("after Update(3): Fresh(3) %v, Fresh(4) %v, Since %d", d.Fresh(3), d.Fresh(4), d.Since())
	}
	tests := []struct {
		customer string
		lo, hi   int64
		want     string
	}{
		{"ana", -100, 100, "[-2 10 15]"},
		{"ana", 10, 15, "[10 15]"},
		{"ana", 11, 14, "[]"},
		{"bob", 12, 12, "[12]"},
		{"carl", -100, 100, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(d.Days(tt.customer, tt.lo, tt.hi, nil)); got != tt.want {
			t.Errorf("Days(%s, %d, %d) = %s, want %s", tt.customer, tt.lo, tt.hi, got, tt.want)
		}
	}
	// Day 12 changes, day 11 is new; the others stay.
	if err := d.Update(5, map[int64][]byte{12: enc("bob", "carl"), 11: enc("carl")}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(d.Days("carl", -100, 100, nil)); got != "[11 12]" {
		t.Errorf("after the second update, Days(carl) = %s, want [11 12]", got)
	}
	if got := fmt.Sprint(d.Days("ana", -100, 100, nil)); got != "[-2 10 15]" {
		t.Errorf("after the second update, Days(ana) = %s, want [-2 10 15]", got)
	}
	if err := d.Update(6, map[int64][]byte{1: {9, 9}}); err == nil {
		t.Error("Update with a malformed filter: nil error")
	}
}
