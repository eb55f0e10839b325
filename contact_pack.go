package saydo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
	"unsafe"
)

// Contact packs: the contacts of a month, encoded compactly, written by
// each contacts import beside the contacts table so that a report over
// millions of contacts (saydo journeys) reads a few thousand blobs instead
// of millions of rows, and decodes them without a string per field.
//
// Customers are spread over ContactBuckets buckets by a hash of their id
// (ContactBucket), and a pack holds, in the order they were added, the
// contacts of one bucket and one UTC calendar month that one import added
// (an import that adds many contacts to a month writes several). A report
// reads bucket by bucket, each in time order: it holds the state of one
// bucket's customers at a time, a 256th of them, small enough to stay in
// the processor's caches, and nothing that grows with the contacts.
//
// A pack begins with the byte contactPackVersion; then, per contact:
//
//	at        varint, milliseconds since the previous contact's (the first:
//	          since the month's first midnight, UTC)
//	key       8 bytes, little endian
//	customer  uvarint length, bytes
//	kind      uvarint: an index into the pack's kinds; the next index (one
//	          past the last) introduces a new kind, its department, channel,
//	          intent and message following, each a uvarint length and bytes
//	source id uvarint length, bytes
//
// Packs may hold a contact the contacts table kept only once (an import
// that added some of a statement's rows packs all of them): readers keep
// the first of the contacts with one customer, At and Key, as the table
// does (DecodeContactMonth does).
const contactPackVersion = 1

// ContactBuckets is how many buckets contact packs spread customers over.
const ContactBuckets = 256

// ContactBucket returns the bucket of a customer's contact packs.
func ContactBucket(customer string) int { return int(CustomerHash(customer) >> 56) }

// ContactMonth returns the month of a time as contact packs number them:
// months since January 1970, UTC.
func ContactMonth(t time.Time) int64 {
	t = t.UTC()
	return int64(t.Year()-1970)*12 + int64(t.Month()-1)
}

// monthStart returns the first instant of a ContactMonth, Unix ms.
func monthStart(m int64) int64 {
	y, mo := m/12, m%12
	if mo < 0 {
		y, mo = y-1, mo+12
	}
	return time.Date(1970+int(y), time.Month(mo+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli()
}

// ContactPacker builds the packs of an import's contacts, by bucket and
// month, in bounded memory: once the contacts it holds pass its limit it
// hands every pack to the store.
type ContactPacker struct {
	packs map[packKey]*packBuilder
	held  int
	limit int
	// kinds numbers the kinds met, for the packs' own tables.
	kinds    map[packKind]int
	lastKind packKind
	lastID   int
	// month caches the month of the last contact, by its range.
	monthLo, monthHi int64 // Unix ms, [lo, hi)
	month            int64
}

// DefaultPackLimit is how many contacts a ContactPacker holds before it
// hands its packs over (about 40 bytes each).
const DefaultPackLimit = 1 << 20

// NewContactPacker returns a packer that holds up to limit contacts (0:
// DefaultPackLimit).
func NewContactPacker(limit int) *ContactPacker {
	if limit <= 0 {
		limit = DefaultPackLimit
	}
	return &ContactPacker{packs: map[packKey]*packBuilder{}, limit: limit, kinds: map[packKind]int{}, lastID: -1, monthLo: 1, monthHi: 0}
}

type packKey struct {
	bucket int
	month  int64
}

type packBuilder struct {
	buf   []byte
	last  int64   // at of the last contact, ms
	local []int32 // by the packer's kind number: the pack's index + 1, or 0
	n     int     // kinds in the pack
}

type packKind struct{ department, channel, intent, message string }

// Add packs contacts (their At in whole milliseconds, as stored).
func (p *ContactPacker) Add(cs []Contact) {
	for i := range cs {
		c := &cs[i]
		at := c.At.UnixMilli()
		if at < p.monthLo || at >= p.monthHi {
			p.month = ContactMonth(time.UnixMilli(at))
			p.monthLo, p.monthHi = monthStart(p.month), monthStart(p.month+1)
		}
		key := packKey{ContactBucket(c.Customer), p.month}
		pb := p.packs[key]
		if pb == nil {
			pb = &packBuilder{buf: append(make([]byte, 0, 1024), contactPackVersion), last: p.monthLo}
			p.packs[key] = pb
		}
		k := packKind{c.Department, c.Channel, string(c.Intent), c.Message}
		if k != p.lastKind || p.lastID < 0 {
			id, ok := p.kinds[k]
			if !ok {
				id = len(p.kinds)
				p.kinds[k] = id
			}
			p.lastKind, p.lastID = k, id
		}
		id := p.lastID
		if id >= len(pb.local) {
			pb.local = append(pb.local, make([]int32, id+1-len(pb.local))...)
		}
		b := binary.AppendVarint(pb.buf, at-pb.last)
		pb.last = at
		b = binary.LittleEndian.AppendUint64(b, c.Key)
		b = appendPackString(b, c.Customer)
		if idx := pb.local[id]; idx > 0 {
			b = binary.AppendUvarint(b, uint64(idx-1))
		} else {
			b = binary.AppendUvarint(b, uint64(pb.n))
			pb.n++
			pb.local[id] = int32(pb.n)
			b = appendPackString(b, k.department)
			b = appendPackString(b, k.channel)
			b = appendPackString(b, k.intent)
			b = appendPackString(b, k.message)
		}
		pb.buf = appendPackString(b, c.SourceID)
		p.held++
	}
}

func appendPackString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Full reports whether the packer holds its limit: the store should Flush.
func (p *ContactPacker) Full() bool { return p.held >= p.limit }

// Flush hands each pack, in bucket and month order, to write and empties
// the packer.
func (p *ContactPacker) Flush(write func(bucket int, month int64, pack []byte) error) error {
	keys := make([]packKey, 0, len(p.packs))
	for k := range p.packs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b packKey) int {
		if a.bucket != b.bucket {
			return a.bucket - b.bucket
		}
		return cmpInt(a.month, b.month)
	})
	for _, k := range keys {
		if err := write(k.bucket, k.month, p.packs[k].buf); err != nil {
			return err
		}
	}
	clear(p.packs)
	p.held = 0
	return nil
}

// PackedContact is a contact read from a pack. Its strings point into the
// pack (no copy): they keep the pack's memory alive while kept.
type PackedContact struct {
	At       int64 // Unix milliseconds
	Key      uint64
	Customer string
	Kind     *PackedKind
	SourceID string
}

// PackedKind is what a contact was: the fields many contacts share.
type PackedKind struct {
	Department, Channel string
	Intent              Intent
	Message             string
}

// Time returns the contact's time.
func (c *PackedContact) Time() time.Time { return time.UnixMilli(c.At).UTC() }

// ErrBadPack is returned for a pack that does not decode.
var ErrBadPack = errors.New("contact pack does not decode")

// DecodeContactMonth decodes the packs of one bucket and month (in the
// order they were written) into out, in (At, Key) order, keeping the first of contacts
// with one customer, At and Key, and returns it. kinds interns the kinds
// across calls: the same department, channel, intent and message give the
// same *PackedKind (pass one map for a whole read). The strings point into
// the packs, which must not change afterwards.
func DecodeContactMonth(month int64, packs [][]byte, kinds map[PackedKind]*PackedKind, out []PackedContact) ([]PackedContact, error) {
	out = out[:0]
	sorted := true
	var local []*PackedKind
	for _, pk := range packs {
		if len(pk) == 0 || pk[0] != contactPackVersion {
			return out, fmt.Errorf("%w: version %v", ErrBadPack, pk[:min(len(pk), 1)])
		}
		local = local[:0]
		b := pk[1:]
		at := monthStart(month) // the first contact's is since the month began
		for len(b) > 0 {
			d, n := binary.Varint(b)
			if n <= 0 || len(b) < n+8 {
				return out, ErrBadPack
			}
			b = b[n:]
			at += d
			key := binary.LittleEndian.Uint64(b)
			b = b[8:]
			var cust string
			var err error
			if cust, b, err = packString(b); err != nil {
				return out, err
			}
			idx, n := binary.Uvarint(b)
			if n <= 0 {
				return out, ErrBadPack
			}
			b = b[n:]
			switch {
			case idx < uint64(len(local)):
			case idx == uint64(len(local)):
				var f [4]string
				for i := range f {
					if f[i], b, err = packString(b); err != nil {
						return out, err
					}
				}
				k := PackedKind{Department: f[0], Channel: f[1], Intent: Intent(f[2]), Message: f[3]}
				kp := kinds[k]
				if kp == nil {
					// The map's copy of the strings: they must not pin this pack.
					kp = &PackedKind{Department: cloneString(f[0]), Channel: cloneString(f[1]), Intent: Intent(cloneString(f[2])), Message: cloneString(f[3])}
					kinds[*kp] = kp
				}
				local = append(local, kp)
			default:
				return out, ErrBadPack
			}
			var src string
			if src, b, err = packString(b); err != nil {
				return out, err
			}
			c := PackedContact{At: at, Key: key, Customer: cust, Kind: local[idx], SourceID: src}
			if n := len(out); n > 0 && sorted && !packLess(&out[n-1], &c) {
				sorted = false
			}
			out = append(out, c)
		}
	}
	if !sorted {
		slices.SortStableFunc(out, func(a, b PackedContact) int {
			switch {
			case a.At != b.At:
				return cmpInt(a.At, b.At)
			case a.Key != b.Key:
				return cmpUint(a.Key, b.Key)
			}
			return 0
		})
	}
	// Drop repeats of one (customer, At, Key): they sit together now.
	w := 0
	for i := range out {
		dup := false
		for j := w - 1; j >= 0 && out[j].At == out[i].At && out[j].Key == out[i].Key; j-- {
			if out[j].Customer == out[i].Customer {
				dup = true
				break
			}
		}
		if !dup {
			out[w] = out[i]
			w++
		}
	}
	clear(out[w:])
	return out[:w], nil
}

func packLess(a, b *PackedContact) bool {
	return a.At < b.At || a.At == b.At && a.Key < b.Key
}

func cmpInt(a, b int64) int {
	if a < b {
		return -1
	}
	return 1
}

func cmpUint(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

func packString(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", b, ErrBadPack
	}
	b = b[k:]
	if n == 0 {
		return "", b, nil
	}
	return unsafe.String(&b[0], int(n)), b[n:], nil
}

func cloneString(s string) string { return string([]byte(s)) }
