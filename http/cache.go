package http

import (
	"context"
	"sync"
	"time"
)

// reportCache reuses computed reports for a short time and computes each
// at most once at a time. Imports through the server bump the generation:
// the next request recomputes, so the importer sees its rows at once, while
// other requests arriving during that computation get the previous report
// (a complete, consistent one) instead of queueing behind it. Imports by
// another process show within the TTL.
type reportCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	gen     uint64
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	val  any
	err  error
	at   time.Time
	gen  uint64
	// prev is the last good value, served while this one is computed.
	prev any
}

const maxCacheEntries = 256

func newReportCache(ttl time.Duration) *reportCache {
	return &reportCache{ttl: ttl, entries: map[string]*cacheEntry{}}
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
			if e.err == nil && e.gen == c.gen && now.Sub(e.at) < c.ttl {
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
	e := &cacheEntry{done: make(chan struct{}), at: now, gen: c.gen, prev: prev}
	if len(c.entries) >= maxCacheEntries {
		clear(c.entries)
	}
	c.entries[key] = e
	c.mu.Unlock()
	e.val, e.err = compute(context.WithoutCancel(ctx))
	close(e.done)
	return e.val, e.err
}

// invalidate makes every cached value stale; stale values are still
// served to other readers while their replacement is computed.
func (c *reportCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}
