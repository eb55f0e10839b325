package http

import (
	"context"
	"sync"
	"time"
)

// reportCache reuses computed reports for a short time and computes each
// at most once at a time (concurrent requests for the same report wait for
// the one in flight). Imports through the server bump the generation, so
// their results are visible at once; imports by another process show
// within the TTL.
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
	if e := c.entries[key]; e != nil && e.gen == c.gen {
		select {
		case <-e.done:
			if e.err == nil && now.Sub(e.at) < c.ttl {
				c.mu.Unlock()
				return e.val, nil
			}
		default:
			c.mu.Unlock()
			select {
			case <-e.done:
				return e.val, e.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	e := &cacheEntry{done: make(chan struct{}), at: now, gen: c.gen}
	if len(c.entries) >= maxCacheEntries {
		clear(c.entries)
	}
	c.entries[key] = e
	c.mu.Unlock()
	e.val, e.err = compute(context.WithoutCancel(ctx))
	close(e.done)
	return e.val, e.err
}

// invalidate makes every cached value stale.
func (c *reportCache) invalidate() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}
