package saydo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestContactMonth: months since January 1970, UTC, with their first
// instants, on both sides of 1970 and at the edges of a month.
func TestContactMonth(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want int64
	}{
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(1969, 12, 31, 23, 59, 59, 999e6, time.UTC), -1},
		{time.Date(1968, 1, 1, 0, 0, 0, 0, time.UTC), -24},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 56*12 + 2},
		{time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC), 56*12 + 1},
		// 01:00 in Bucharest on 1 March is still February in UTC.
		{time.Date(2026, 3, 1, 1, 0, 0, 0, time.FixedZone("EET", 2*3600)), 56*12 + 1},
	} {
		if got := ContactMonth(tc.at); got != tc.want {
			t.Errorf("ContactMonth(%s) = %d, want %d", tc.at, got, tc.want)
		}
		m := tc.want
		start := time.UnixMilli(monthStart(m)).UTC()
		if start.Day() != 1 || start.Hour() != 0 || ContactMonth(start) != m || ContactMonth(start.Add(-time.Millisecond)) != m-1 {
			t.Errorf("monthStart(%d) = %s", m, start)
		}
	}
}

// TestContactPacksRoundTrip: contacts packed by a small packer (many
// flushes) decode, per bucket and month, to the same contacts in (At, Key)
// order, the first of a repeated (customer, At, Key) kept.
func TestContactPacksRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)
	var in []Contact
	for i := range 5000 {
		c := Contact{Key: r.Uint64() >> 1, Customer: fmt.Sprint("cust-", r.IntN(400)), At: start.Add(time.Duration(r.Int64N(int64(70 * 24 * time.Hour)))).Truncate(time.Millisecond),
			Department: []string{"sales", "care", "billing"}[r.IntN(3)], Channel: []string{"sms", "email"}[r.IntN(2)], Intent: Intents[r.IntN(len(Intents))]}
		if i%4 == 0 {
			c.SourceID = fmt.Sprint("id-", i)
			if i%8 == 0 { // the key the import gives it: not stored
				c.Key = ContactKey(&c, 0)
			}
		}
		if i%7 == 0 {
			c.Message = "msg-" + c.Department
		}
		if i > 0 && i%25 == 0 { // a repeat, with another department: the first counts
			c = in[r.IntN(len(in))]
			c.Department = "other"
		}
		in = append(in, c)
	}
	p := NewContactPacker(700)
	// A store's kinds, ids from 10.
	kinds := map[int64]*PackedKind{}
	byKind := map[PackedKind]int64{}
	ids := func(cs []Contact) []int64 {
		var out []int64
		for i := range cs {
			k := KindOf(&cs[i])
			if byKind[k] == 0 {
				byKind[k] = int64(10 + len(kinds))
				kinds[byKind[k]] = &k
			}
			out = append(out, byKind[k])
		}
		return out
	}
	type bm struct {
		bucket int
		month  int64
	}
	packs := map[bm][][]byte{}
	flush := func() {
		if err := p.Flush(func(bucket int, month int64, pack []byte) error {
			packs[bm{bucket, month}] = append(packs[bm{bucket, month}], pack)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for off := 0; off < len(in); off += 300 {
		b := in[off:min(off+300, len(in))]
		p.Add(b, ids(b))
		if p.Full() {
			flush()
		}
	}
	flush()
	// What the packs must hold: the first of each identity, by bucket and
	// month, in (At, Key) order.
	type id struct {
		customer string
		at       int64
		key      uint64
	}
	seen := map[id]bool{}
	want := map[bm][]Contact{}
	for _, c := range in {
		k := id{c.Customer, c.At.UnixMilli(), c.Key}
		if seen[k] {
			continue
		}
		seen[k] = true
		g := bm{ContactBucket(c.Customer), ContactMonth(c.At)}
		want[g] = append(want[g], c)
	}
	total := 0
	for g, ps := range packs {
		got, err := DecodeContactMonth(g.month, ps, kinds, nil)
		if err != nil {
			t.Fatal(err)
		}
		w := want[g]
		slices.SortStableFunc(w, func(a, b Contact) int {
			if c := a.At.Compare(b.At); c != 0 {
				return c
			}
			if a.Key != b.Key {
				return cmpUint(a.Key, b.Key)
			}
			return 0
		})
		if len(got) != len(w) {
			t.Fatalf("bucket %d month %d: %d contacts, want %d", g.bucket, g.month, len(got), len(w))
		}
		for i := range w {
			c, x := got[i], w[i]
			if !c.Time().Equal(x.At) || c.Key != x.Key || c.Customer != x.Customer || c.SourceID != x.SourceID ||
				c.Kind.Department != x.Department || c.Kind.Channel != x.Channel || c.Kind.Intent != x.Intent || c.Kind.Message != x.Message {
				t.Fatalf("bucket %d month %d, contact %d: got %+v %+v, want %+v", g.bucket, g.month, i, c, *c.Kind, x)
			}
		}
		total += len(got)
	}
	if total != len(seen) || len(packs) < 10 {
		t.Errorf("%d contacts in %d groups, want %d in many", total, len(packs), len(seen))
	}
}

// FuzzDecodeContactMonth: any bytes decode to contacts, each with its
// kind, or to an error; never a panic.
func FuzzDecodeContactMonth(f *testing.F) {
	p := NewContactPacker(0)
	p.Add([]Contact{
		{Key: 7, Customer: "c1", At: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), Department: "care", Channel: "sms", Intent: IntentOffer, SourceID: "s1"},
		{Key: 8, Customer: "c1", At: time.Date(2026, 3, 5, 5, 6, 7, 0, time.UTC), Department: "billing", Channel: "sms", Intent: IntentOffer},
	}, []int64{1, 2})
	kinds := map[int64]*PackedKind{1: {Department: "care", Channel: "sms", Intent: IntentOffer}, 2: {Department: "billing", Channel: "sms", Intent: IntentOffer}}
	p.Flush(func(_ int, _ int64, pack []byte) error { f.Add(pack); return nil })
	f.Add([]byte{1, 0x80})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := DecodeContactMonth(ContactMonth(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)), [][]byte{b}, kinds, nil)
		if err == nil {
			for _, c := range out {
				if c.Kind == nil {
					t.Fatalf("contact without a kind: %+v", c)
				}
			}
		}
	})
}
