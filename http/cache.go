package http

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/saydo/saydo"
)

// reportCache reuses computed reports for a short time and computes each
// at most once at a time. Imports through the server bump the generation
// of what they changed (observations, feedback): the next request for a
// report computed from it recomputes, so the importer sees its rows at
// once, while other requests arriving during that computation get the
// previous report (a complete, consistent one) instead of queueing behind
// it. Reports computed from other data stay (an observation import leaves
// the journeys report, made of contacts and complaints, alone). Imports by
// another process show within the TTL, or at their notification on a
// store that announces changes (PostgreSQL).
//
// It also bounds the memory reports take: at most slots computations run
// at once (a request waits for a slot until its context ends or maxWait
// passes, well before its write deadline: errBusy, answered 503),
// and finished values are kept while their estimated size (sizeOf) stays
// under maxBytes.
type reportCache struct {
	ttl   time.Duration
	slots chan struct{}
	// mine holds one slot per principal (ctx's principalKey): a client
	// that asks for many different reports at once computes them one at
	// a time, and cannot take every slot from the others.
	mine     sync.Map // string -> chan struct{}
	maxBytes int64
	// maxWait bounds the wait for a slot: a request queued behind others
	// for longer is answered 503 (errBusy) while it still can be; it
	// used to wait past its write deadline, get an empty reply, and have
	// its report computed for nobody.
	maxWait time.Duration
	mu      sync.Mutex
	// all counts changes to everything; gens counts changes by kind of
	// data (see dependsOn). Both only grow, so a sum over a report's
	// dependencies changes exactly when one of them did.
	all     uint64
	gens    map[string]uint64
	entries map[string]*cacheEntry
	bytes   int64 // estimated size of the finished values held
}

// errBusy is a computation that could not start before its request gave up.
var errBusy = errors.New("the server is busy computing other reports; try again in a moment")

type cacheEntry struct {
	done chan struct{}
	val  any
	err  error
	at   time.Time
	gen  uint64
	// prev is the last good value, served while this one is computed.
	prev any
	size int64 // sizeOf(val), once done
}

const maxCacheEntries = 256

func newReportCache(ttl time.Duration, slots int, maxBytes int64, maxWait time.Duration) *reportCache {
	return &reportCache{ttl: ttl, slots: make(chan struct{}, max(slots, 1)), maxBytes: maxBytes, maxWait: maxWait,
		entries: map[string]*cacheEntry{}, gens: map[string]uint64{}}
}

// dependsOn lists, by the kind of report a cache key starts with (the text
// before its first "|"), the kinds of stored data the report is computed
// from, as imports and saydo.ChangeWatcher payloads name them. A kind of
// report not listed depends on everything, which is always safe.
var dependsOn = map[string][]string{
	// ledger.Journeys reads contacts and complaints (feedback), never
	// observations: a long observation import must not make every
	// journeys request recompute a report that reads every contact.
	"journeys":     {"contacts", "feedback"},
	"journeysjson": {"contacts", "feedback"},
}

// version is the generation of the data the report under key is computed
// from. c.mu must be held.
func (c *reportCache) version(key string) uint64 {
	kind, _, _ := strings.Cut(key, "|")
	v := c.all
	deps, ok := dependsOn[kind]
	if !ok {
		for _, g := range c.gens {
			v += g
		}
		return v
	}
	for _, d := range deps {
		v += c.gens[d]
	}
	return v
}

// sizeOf estimates the memory a cached value holds.
func sizeOf(v any) int64 {
	switch v := v.(type) {
	case []byte:
		return int64(len(v))
	case *encodedReport:
		return v.size()
	case *saydo.GapReport:
		n := int64(1)
		for i := range v.Promises {
			p := &v.Promises[i]
			n += int64(len(p.Periods)) + 1
			for j := range p.Breakdown {
				n += int64(len(p.Breakdown[j].Periods)) + 1
			}
		}
		return n * 256 // a PeriodGap and its share of the rest
	}
	return 64 << 10 // voice reports and the like: small, bounded by the workspace
}

// get returns the cached value for key or computes it. compute runs
// detached from the caller's cancellation, since other callers may wait
// for it.
func (c *reportCache) get(ctx context.Context, key string, now time.Time, compute func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	var prev any
	if e := c.entries[key]; e != nil {
		select {
		case <-e.done:
			if e.err == nil && e.gen == c.version(key) && now.Sub(e.at) < c.ttl {
				c.mu.Unlock()
				return e.val, nil
			}
			if e.err == nil {
				prev = e.val
			} else {
				prev = e.prev
			}
		default:
			c.mu.Unlock()
			if e.prev != nil {
				return e.prev, nil // being recomputed: the last good report
			}
			select {
			case <-e.done:
				return e.val, e.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	e := &cacheEntry{done: make(chan struct{}), at: now, gen: c.version(key), prev: prev}
	if old := c.entries[key]; old != nil {
		c.bytes -= old.size
	}
	if len(c.entries) >= maxCacheEntries {
		c.dropFinished()
	}
	c.entries[key] = e
	c.mu.Unlock()

	// A computation that needs another cached value (the encoded report
	// needs the report) runs within its caller's slot.
	if ctx.Value(slotKey{}) == nil {
		wait := ctx
		if c.maxWait > 0 {
			var cancel context.CancelFunc
			wait, cancel = context.WithTimeout(ctx, c.maxWait)
			defer cancel()
		}
		if who, ok := ctx.Value(principalKey{}).(string); ok {
			ch, _ := c.mine.LoadOrStore(who, make(chan struct{}, 1))
			own := ch.(chan struct{})
			select {
			case own <- struct{}{}:
				defer func() { <-own }()
			case <-wait.Done():
				c.finish(key, e, nil, errBusy)
				return nil, errBusy
			}
		}
		select {
		case c.slots <- struct{}{}:
			defer func() { <-c.slots }()
		case <-wait.Done():
			c.finish(key, e, nil, errBusy)
			return nil, errBusy
		}
	}
	val, err := compute(context.WithValue(context.WithoutCancel(ctx), slotKey{}, true))
	c.finish(key, e, val, err)
	return val, err
}

// slotKey marks a context whose computation holds a slot.
type slotKey struct{}

// principalKey carries who asks (principal.Actor()), for the per-principal
// slot.
type principalKey struct{}

// finish records a computed value and keeps the cache under maxBytes: a
// value larger than the whole budget is served but not kept.
func (c *reportCache) finish(key string, e *cacheEntry, val any, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.val, e.err = val, err
	if err == nil {
		e.size = sizeOf(val)
		if c.bytes+e.size > c.maxBytes {
			c.dropFinished()
		}
		if e.size > c.maxBytes && c.entries[key] == e {
			delete(c.entries, key)
			e.size = 0
		} else {
			c.bytes += e.size
		}
	}
	close(e.done)
}

// dropFinished forgets every finished value (entries being computed stay,
// so their waiters find them).
func (c *reportCache) dropFinished() {
	for k, e := range c.entries {
		select {
		case <-e.done:
			delete(c.entries, k)
			c.bytes -= e.size
		default:
		}
	}
}

// invalidate makes stale every cached value computed from the kinds of
// data named ("observations", "feedback", "contacts", …), or every value
// when none is named; stale values are still served to other readers while
// their replacement is computed.
func (c *reportCache) invalidate(kinds ...string) {
	c.mu.Lock()
	if len(kinds) == 0 {
		c.all++
	}
	for _, k := range kinds {
		c.gens[k]++
	}
	c.mu.Unlock()
}
