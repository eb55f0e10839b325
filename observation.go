package saydo

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Observation is one measured experience: a call's wait in seconds, a
// delivery's lateness in days, 1 or 0 for "arrived on time".
type Observation struct {
	// Key identifies the observation for idempotent import; see ObservationKey.
	Key    uint64
	Metric string
	Value  float64
	At     time.Time
	// SourceID is the source system's own id, if it gave one.
	SourceID string
	Customer string
	Attrs    Attrs
	// Count is n for a pre-aggregated row standing for n experiences (0
	// for a single observation). Such a row carries either Met (how many of
	// the n met the threshold, as the source counted them; Value is NaN) or
	// a mean in Value with its standard deviation in SD (NaN when not
	// given; Met is −1).
	Count int64
	Met   int64
	SD    float64
}

// Pooled reports whether the observation is a pre-aggregated row.
func (o *Observation) Pooled() bool { return o.Count > 0 }

// Counts reports whether the observation is a pre-aggregated row of
// counts (n with met), rather than of a mean.
func (o *Observation) Counts() bool { return o.Count > 0 && o.Met >= 0 }

// HasIdentity reports whether the observation is one by its identity
// rather than its content (SPEC "Ids are identities"): it carries a source
// id, or it is a pre-aggregated row. A second row with the same Key is then
// a duplicate or a correction (SameAs tells which), never a new
// observation. Both stores settle such rows before their bulk insert.
func (o *Observation) HasIdentity() bool { return o.SourceID != "" || o.Count > 0 }

// SameAs reports whether two rows with one identity say the same: the same
// time (to the millisecond the stores keep) and the same value or counts.
// A row that is not SameAs the stored one is a correction that replaces it.
func (o *Observation) SameAs(b *Observation) bool {
	return o.At.UnixMilli() == b.At.UnixMilli() && SameValue(o.Value, b.Value) && o.Count == b.Count && o.Met == b.Met && SameValue(o.SD, b.SD)
}

// LastOfIdentities applies, within one batch, the rule that the last row
// of an identity is the one that counts. rows lists indexes into batch,
// ordered so that the rows of one identity (metric, id, and key for
// pre-aggregated rows without an id) are neighbours, in batch order
// among themselves. It calls superseded for each row the last one of its
// identity supersedes, with that last row and whether the row said
// something else than the one after it (another time or value: counted
// replaced, as a stored row would be, unless the last row turns out a
// duplicate of the stored one, when the batch changed nothing: the store
// then takes those counts back). It returns the rows that remain (reusing
// rows' storage) and how many superseded rows differ in all.
func LastOfIdentities(batch []Observation, rows []int32, superseded func(i, last int32, differs bool)) (last []int32, replaced int) {
	out := rows[:0]
	for j := 0; j < len(rows); {
		k := j
		for k+1 < len(rows) && sameIdentity(&batch[rows[k]], &batch[rows[k+1]]) {
			k++
		}
		end := rows[k]
		for m := j; m < k; m++ {
			differs := !batch[rows[m]].SameAs(&batch[rows[m+1]])
			if differs {
				replaced++
			}
			superseded(rows[m], end, differs)
		}
		out = append(out, end)
		j = k + 1
	}
	return out, replaced
}

func sameIdentity(a, b *Observation) bool {
	return a.Metric == b.Metric && a.Key == b.Key && a.SourceID == b.SourceID
}

// SameValue is == for stored values, with NaN (no value) equal to NaN.
func SameValue(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// ObservationKey returns the key that makes re-importing an observation a
// no-op. With a source id the key is the id within the metric. Without one
// it is the row's content (ObservationContent) and its occurrence: how
// many rows of the same input with the same content came before it (0 for
// the first). So the same file imported twice, a log that grew at its end,
// the same rows in another order and an export that overlaps the last one
// add nothing twice, while two equal rows of one file stay two
// observations. The importer counts the occurrences (ledger's rowKeyer).
func ObservationKey(o *Observation, occurrence int64) uint64 {
	if o.SourceID != "" {
		h := fnvString(fnvString(fnvString(fnvOffset, o.Metric), "id"), o.SourceID)
		return h >> 1 // fits a signed 64-bit column
	}
	return OccurrenceKey(ObservationContent(o), occurrence)
}

// ObservationContent hashes what an observation without a source id says:
// its metric, time (to the millisecond the stores keep), value, customer,
// counts and attributes. Rows equal in all of them are the same content.
func ObservationContent(o *Observation) uint64 {
	h := fnvString(fnvOffset, o.Metric)
	h = fnvString(h, "row")
	h = fnvUint64(h, math.Float64bits(o.Value))
	h = fnvUint64(h, uint64(o.At.UnixMilli()))
	h = fnvString(h, o.Customer)
	if o.Count > 0 {
		h = fnvUint64(fnvUint64(fnvUint64(h, uint64(o.Count)), uint64(o.Met)), math.Float64bits(o.SD))
	}
	for _, a := range o.Attrs {
		h = fnvString(fnvString(h, a.Name), a.Value)
	}
	return h
}

// OccurrenceKey is the key of the occurrence-th row (0 for the first) of
// an input with the given content.
func OccurrenceKey(content uint64, occurrence int64) uint64 {
	return fnvUint64(fnvUint64(content, 0x6f6363), uint64(occurrence)) >> 1
}

// Occurrences gives stored rows without a source id the keys an import
// gives them, content and occurrence: the stores use it once, to re-key
// rows stored when keys were content and line (migrations 0071 for
// observations, 0072 for feedback). Rows must come in time order; equal
// contents share their time, so only the contents of the current
// millisecond are counted.
type Occurrences struct {
	at   int64
	seen map[uint64]int64
}

// Key returns the key ObservationKey gives o, the next stored observation.
func (c *Occurrences) Key(o *Observation) uint64 {
	return c.Next(o.At.UnixMilli(), ObservationContent(o))
}

// Next returns the key of the next stored row, at Unix ms at, with the
// given content (ObservationContent, FeedbackIdentity).
func (c *Occurrences) Next(at int64, content uint64) uint64 {
	if c.seen == nil {
		c.seen = map[uint64]int64{}
	} else if at != c.at {
		clear(c.seen)
	}
	c.at = at
	n := c.seen[content]
	c.seen[content] = n + 1
	return OccurrenceKey(content, n)
}

// LateKey is the key of a row whose occurrence the importer cannot count
// (see ledger's rowKeyer): the n-th such row of its content in the input.
// It is stable for the same input, so re-importing that input adds nothing
// twice; it never equals an OccurrenceKey, so the row is never taken for
// another.
func LateKey(content uint64, n int64) uint64 {
	return fnvUint64(fnvUint64(content, 0x6c617465), uint64(n)) >> 1
}

// FNV-1a, written out so hashing a row allocates nothing.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

// fnvString hashes s followed by a 0 byte, so ("ab","c") and ("a","bc")
// differ.
func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	h *= fnvPrime // the 0 separator: h ^= 0 is a no-op
	return h
}

func fnvUint64(h uint64, u uint64) uint64 {
	for range 8 {
		h ^= u & 0xff
		h *= fnvPrime
		u >>= 8
	}
	return h
}

// Attr is one named attribute of an observation or feedback item, such as
// region=north.
type Attr struct {
	Name, Value string
}

// Attrs is a set of attributes sorted by name.
type Attrs []Attr

// Get returns the value of the named attribute.
func (a Attrs) Get(name string) (string, bool) {
	i := sort.Search(len(a), func(i int) bool { return a[i].Name >= name })
	if i < len(a) && a[i].Name == name {
		return a[i].Value, true
	}
	return "", false
}

// Sort orders the attributes by name, as Get expects.
func (a Attrs) Sort() { sort.Slice(a, func(i, j int) bool { return a[i].Name < a[j].Name }) }

// Canonical renders the attributes as one string, equal for equal sets:
// "channel=phone\x1fregion=north".
func (a Attrs) Canonical() string {
	var b strings.Builder
	for i, x := range a {
		if i > 0 {
			b.WriteByte(0x1f)
		}
		b.WriteString(x.Name)
		b.WriteByte('=')
		b.WriteString(x.Value)
	}
	return b.String()
}

// ParseAttrs reads what Canonical writes.
func ParseAttrs(s string) Attrs {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "\x1f")
	out := make(Attrs, 0, len(parts))
	for _, p := range parts {
		name, value, _ := strings.Cut(p, "=")
		out = append(out, Attr{name, value})
	}
	return out
}

// Limits on what one imported row may carry besides its value and text
// (SPEC.md, "A server that holds"): a row beyond them is rejected with a
// reason, so a 50 MB attribute cannot be stored by accident or on purpose.
const (
	// MaxAttrValue is the longest attribute value, id or customer, in
	// bytes.
	MaxAttrValue = 1024
	// MaxAttrs is the most attributes one row may carry.
	MaxAttrs = 64
)

// CheckAttr returns why an attribute (or an id or customer, named by
// name) cannot be stored, or "" when it can: a value longer than
// MaxAttrValue bytes, or a control character in the name or value (the
// store writes attribute sets as name=value joined by U+001F, and a
// control character in a dashboard or a CSV export is never meant). A
// name may not hold "=".
func CheckAttr(name, value string) string {
	if len(value) > MaxAttrValue {
		return fmt.Sprintf("%s: %d bytes, longer than the limit of %d", name, len(value), MaxAttrValue)
	}
	if i := indexControl(value); i >= 0 {
		return fmt.Sprintf("%s: control character %q at byte %d", name, value[i], i+1)
	}
	if indexControl(name) >= 0 || strings.IndexByte(name, '=') >= 0 {
		return fmt.Sprintf("attribute name %q: control characters and \"=\" are not allowed", name)
	}
	return ""
}

// indexControl returns the byte index of the first control character
// (isControl) in s, or -1. It scans bytes, not runes: every control
// character is one byte below 0x80, a byte no multi-byte UTF-8 sequence
// holds, so it finds what strings.IndexFunc(s, isControl) finds without
// decoding each rune (it runs for every value of every imported row).
func indexControl(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return i
		}
	}
	return -1
}

// isControl reports the C0 controls and DEL; a tab is allowed (spreadsheet
// exports hold them).
func isControl(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }
