package saydo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
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
// What many contacts share (department, channel, intent, message) is a
// kind, stored once in the store's table of kinds (contact_kinds) under an
// id. A pack begins with the byte contactPackVersion, then its kinds: a
// uvarint count and each kind's store id as a uvarint. Then, per contact:
//
//	at        varint, milliseconds since the previous contact's (the first:
//	          since the month's first midnight, UTC)
//	customer  uvarint length, bytes
//	kind      uvarint: twice an index into the pack's kinds, plus 1 when
//	          the key follows
//	key       8 bytes, little endian, when the kind says so: a contact with
//	          a source id whose key is the one ContactKey gives it has none
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
	// month caches the month of the last contact, by its range.
	monthLo, monthHi int64 // Unix ms, [lo, hi)
	month            int64
}

// DefaultPackLimit is how many contacts a ContactPacker holds before it
// hands its packs over (about 30 bytes each).
const DefaultPackLimit = 1 << 20

// NewContactPacker returns a packer that holds up to limit contacts (0:
// DefaultPackLimit).
func NewContactPacker(limit int) *ContactPacker {
	if limit <= 0 {
		limit = DefaultPackLimit
	}
	return &ContactPacker{packs: map[packKey]*packBuilder{}, limit: limit, monthLo: 1, monthHi: 0}
}

type packKey struct {
	bucket int
	month  int64
}

type packBuilder struct {
	buf   []byte          // the contacts
	last  int64           // at of the last contact, ms
	local map[int64]int32 // by kind id: the pack's index + 1
	kinds []int64         // by the pack's index: the kind id
}

// Add packs contacts (their At in whole milliseconds, as stored); kinds
// are the store ids of their kinds (ContactStore.ContactKinds), in order.
func (p *ContactPacker) Add(cs []Contact, kinds []int64) {
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
			pb = &packBuilder{buf: make([]byte, 0, 1024), last: p.monthLo, local: map[int64]int32{}}
			p.packs[key] = pb
		}
		id := kinds[i]
		b := binary.AppendVarint(pb.buf, at-pb.last)
		pb.last = at
		b = appendPackString(b, c.Customer)
		var withKey uint64
		if c.SourceID == "" || contactIDKey(c.Customer, c.SourceID) != c.Key {
			withKey = 1
		}
		idx := pb.local[id]
		if idx == 0 {
			pb.kinds = append(pb.kinds, id)
			idx = int32(len(pb.kinds))
			pb.local[id] = idx
		}
		b = binary.AppendUvarint(b, uint64(idx-1)<<1|withKey)
		if withKey == 1 {
			b = binary.LittleEndian.AppendUint64(b, c.Key)
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
		pb := p.packs[k]
		pack := make([]byte, 0, 1+binary.MaxVarintLen64*(1+len(pb.kinds))+len(pb.buf))
		pack = append(pack, contactPackVersion)
		pack = binary.AppendUvarint(pack, uint64(len(pb.kinds)))
		for _, id := range pb.kinds {
			pack = binary.AppendUvarint(pack, uint64(id))
		}
		pack = append(pack, pb.buf...)
		if err := write(k.bucket, k.month, pack); err != nil {
			return err
		}
	}
	clear(p.packs)
	p.held = 0
	return nil
}

// ContactPackQueue packs contacts on a goroutine of its own, so that an
// import's store goroutine (its slowest) only copies them: Add copies and
// queues, Full says when the packer holds its limit, Flush waits for what
// is queued and hands the packs over, Close stops the goroutine. One
// goroutine calls its methods.
type ContactPackQueue struct {
	p    *ContactPacker
	in   chan packBatch
	idle chan struct{} // receives after each batch is packed
	full atomic.Bool
	n    int // batches queued, not yet packed
	back chan packBatch
}

type packBatch struct {
	cs    []Contact
	kinds []int64
}

// NewContactPackQueue starts a queue in front of a packer (limit as for
// NewContactPacker).
func NewContactPackQueue(limit int) *ContactPackQueue {
	q := &ContactPackQueue{p: NewContactPacker(limit), in: make(chan packBatch, 4), idle: make(chan struct{}, 8), back: make(chan packBatch, 8)}
	in := q.in
	go func() {
		for b := range in {
			q.p.Add(b.cs, b.kinds)
			if q.p.Full() {
				q.full.Store(true)
			}
			clear(b.cs) // drop the strings
			select {
			case q.back <- packBatch{b.cs[:0], b.kinds[:0]}:
			default:
			}
			q.idle <- struct{}{}
		}
	}()
	return q
}

// Add queues a copy of contacts and their kind ids for packing.
func (q *ContactPackQueue) Add(cs []Contact, kinds []int64) {
	var b packBatch
	select {
	case b = <-q.back:
	default:
	}
	b.cs = append(b.cs, cs...)
	b.kinds = append(b.kinds, kinds...)
	q.in <- b
	q.n++
	// Keep the count of batches in flight within the channels' room.
	for q.n > 3 {
		<-q.idle
		q.n--
	}
}

// Full reports whether the packer holds its limit.
func (q *ContactPackQueue) Full() bool { return q.full.Load() }

// Flush waits for the queued contacts to be packed, then hands the packs
// to write as ContactPacker.Flush does.
func (q *ContactPackQueue) Flush(write func(bucket int, month int64, pack []byte) error) error {
	for ; q.n > 0; q.n-- {
		<-q.idle
	}
	q.full.Store(false)
	return q.p.Flush(write)
}

// Close stops the queue's goroutine; what it holds is dropped.
func (q *ContactPackQueue) Close() {
	if q.in != nil {
		close(q.in)
		q.in = nil
	}
}

// PackRows is what a store's query for ScanContactPacks returns: rows of
// (bucket, month, pack) in (bucket, month, id) order, from database/sql or
// pgx alike.
type PackRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanPackRows hands rows to fn a bucket's month at a time, as
// ContactStore.ScanContactPacks does. The drivers copy a []byte they scan
// into, so the packs are fn's to keep.
func ScanPackRows(rows PackRows, fn func(bucket int, month int64, packs [][]byte) error) error {
	var (
		bucket = -1
		month  int64
		packs  [][]byte
	)
	for rows.Next() {
		var bk int
		var m int64
		var b []byte
		if err := rows.Scan(&bk, &m, &b); err != nil {
			return fmt.Errorf("scan contact packs: %w", err)
		}
		if (bk != bucket || m != month) && len(packs) > 0 {
			if err := fn(bucket, month, packs); err != nil {
				return err
			}
			packs = nil
		}
		bucket, month = bk, m
		packs = append(packs, b)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan contact packs: %w", err)
	}
	if len(packs) == 0 {
		return nil
	}
	return fn(bucket, month, packs)
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

// UnknownKindError is returned for a pack that names a kind not in the
// kinds given: one added since they were read (read them again).
type UnknownKindError struct{ ID int64 }

func (e *UnknownKindError) Error() string { return fmt.Sprintf("contact pack: unknown kind %d", e.ID) }

// DecodeContactMonth decodes the packs of one bucket and month (in the
// order they were written) into out, in (At, Key) order, keeping the
// first of contacts with one customer, At and Key, and returns it. kinds
// are the store's, by id (ContactStore.ContactKinds). The strings point
// into the packs, which must not change afterwards.
func DecodeContactMonth(month int64, packs [][]byte, kinds map[int64]*PackedKind, out []PackedContact) ([]PackedContact, error) {
	out = out[:0]
	sorted := true
	var local []*PackedKind
	for _, pk := range packs {
		if len(pk) == 0 || pk[0] != contactPackVersion {
			return out, fmt.Errorf("%w: version %v", ErrBadPack, pk[:min(len(pk), 1)])
		}
		b := pk[1:]
		nk, n := binary.Uvarint(b)
		if n <= 0 || nk > uint64(len(b)) {
			return out, ErrBadPack
		}
		b = b[n:]
		local = local[:0]
		for range nk {
			id, n := binary.Uvarint(b)
			if n <= 0 {
				return out, ErrBadPack
			}
			b = b[n:]
			k := kinds[int64(id)]
			if k == nil {
				return out, &UnknownKindError{int64(id)}
			}
			local = append(local, k)
		}
		at := monthStart(month) // the first contact's is since the month began
		for len(b) > 0 {
			d, n := binary.Varint(b)
			if n <= 0 {
				return out, ErrBadPack
			}
			b = b[n:]
			at += d
			var cust string
			var err error
			if cust, b, err = packString(b); err != nil {
				return out, err
			}
			idx, n := binary.Uvarint(b)
			if n <= 0 || idx>>1 >= uint64(len(local)) {
				return out, ErrBadPack
			}
			b = b[n:]
			withKey := idx&1 == 1
			idx >>= 1
			var key uint64
			if withKey {
				if len(b) < 8 {
					return out, ErrBadPack
				}
				key = binary.LittleEndian.Uint64(b)
				b = b[8:]
			}
			var src string
			if src, b, err = packString(b); err != nil {
				return out, err
			}
			if !withKey {
				if src == "" {
					return out, ErrBadPack
				}
				key = contactIDKey(cust, src)
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

// ContactKindCache holds a store's committed contact kind ids, and kinds
// by id for readers: kinds are never removed and their ids never change,
// so a store keeps them for every import and read after.
type ContactKindCache struct {
	mu   sync.Mutex
	ids  map[PackedKind]int64
	byID map[int64]*PackedKind
}

// Kind returns the kind with an id; when the cache does not have it, it
// loads every kind first (load reads the store's table).
func (c *ContactKindCache) Kind(id int64, load func() (map[int64]*PackedKind, error)) (*PackedKind, error) {
	c.mu.Lock()
	k := c.byID[id]
	c.mu.Unlock()
	if k != nil {
		return k, nil
	}
	all, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID = all
	if k = all[id]; k == nil {
		return nil, &UnknownKindError{id}
	}
	return k, nil
}

// ContactKindIDs gives one import transaction the kind ids of its
// contacts: committed ones from the store's cache, those the transaction
// added itself, and add (the store's insert, in the transaction) for new
// ones. Committed hands the added ones to the cache once the transaction
// commits.
type ContactKindIDs struct {
	cache  *ContactKindCache
	add    func(PackedKind) (int64, error)
	added  map[PackedKind]int64
	last   PackedKind
	lastID int64
}

// NewContactKindIDs starts the kind ids of a transaction.
func NewContactKindIDs(cache *ContactKindCache, add func(PackedKind) (int64, error)) *ContactKindIDs {
	return &ContactKindIDs{cache: cache, add: add, added: map[PackedKind]int64{}}
}

// KindOf returns a contact's kind.
func KindOf(c *Contact) PackedKind {
	return PackedKind{Department: c.Department, Channel: c.Channel, Intent: c.Intent, Message: c.Message}
}

// IDs appends to out the kind id of each contact.
func (r *ContactKindIDs) IDs(cs []Contact, out []int64) ([]int64, error) {
	for i := range cs {
		k := KindOf(&cs[i])
		if k != r.last || r.lastID == 0 {
			id, err := r.id(k)
			if err != nil {
				return out, err
			}
			r.last, r.lastID = k, id
		}
		out = append(out, r.lastID)
	}
	return out, nil
}

func (r *ContactKindIDs) id(k PackedKind) (int64, error) {
	r.cache.mu.Lock()
	id := r.cache.ids[k]
	r.cache.mu.Unlock()
	if id != 0 {
		return id, nil
	}
	if id = r.added[k]; id != 0 {
		return id, nil
	}
	id, err := r.add(k)
	if err != nil {
		return 0, fmt.Errorf("contact kinds: %w", err)
	}
	if id <= 0 {
		return 0, fmt.Errorf("contact kinds: id %d", id)
	}
	r.added[k] = id
	return id, nil
}

// Committed adds the transaction's new kinds to the store's cache: call it
// once the transaction committed.
func (r *ContactKindIDs) Committed() {
	if len(r.added) == 0 {
		return
	}
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	if r.cache.ids == nil {
		r.cache.ids = map[PackedKind]int64{}
	}
	for k, id := range r.added {
		r.cache.ids[k] = id
	}
}
