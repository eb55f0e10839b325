package http

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTokenCacheOneLookupAtATime: the requests in flight when a token's
// entry expires wait for one store read, not one each; a failed read is
// shared but not kept; a read that ran across a clear (a revocation) is not
// kept either.
func TestTokenCacheOneLookupAtATime(t *testing.T) {
	var c tokenCache
	h := [32]byte{1}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var lookups atomic.Int64
	release := make(chan struct{})
	slow := func(context.Context) (*principal, error) {
		lookups.Add(1)
		<-release
		return &principal{Name: "bench", Kind: "token"}, nil
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p, err := c.verify(context.Background(), h, now, slow); err != nil || p.Name != "bench" {
				t.Errorf("verify = %v, %v; want bench", p, err)
			}
		}()
	}
	// Let the requests pile up behind the first lookup, then finish it.
	for deadline := time.Now().Add(5 * time.Second); lookups.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := lookups.Load(); n != 1 {
		t.Errorf("100 concurrent requests made %d store reads, want 1", n)
	}
	if _, ok := c.get(h, now.Add(time.Second)); !ok {
		t.Error("the verified token is not cached")
	}

	// A failure is returned and not cached.
	boom := errors.New("store down")
	h2 := [32]byte{2}
	if _, err := c.verify(context.Background(), h2, now, func(context.Context) (*principal, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("failed lookup: err %v, want it returned", err)
	}
	if _, ok := c.get(h2, now); ok {
		t.Error("a failed lookup was cached")
	}

	// A revocation (clear) during the lookup: its answer is not kept.
	h3 := [32]byte{3}
	_, err := c.verify(context.Background(), h3, now, func(context.Context) (*principal, error) {
		c.clear()
		return &principal{Name: "revoked-meanwhile"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.get(h3, now); ok {
		t.Error("a token looked up across a clear was cached")
	}

	// A waiter whose request ends stops waiting.
	h4 := [32]byte{4}
	hold := make(chan struct{})
	go c.verify(context.Background(), h4, now, func(context.Context) (*principal, error) { <-hold; return &principal{}, nil })
	for deadline := time.Now().Add(5 * time.Second); ; {
		c.mu.Lock()
		_, busy := c.inflight[h4]
		c.mu.Unlock()
		if busy || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.verify(ctx, h4, now, slow); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter with an ended request: err %v, want its deadline", err)
	}
	close(hold)
}
