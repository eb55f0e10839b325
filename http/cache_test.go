package http

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestReportCache(t *testing.T) {
	ctx := context.Background()
	c := newReportCache(2*time.Second, 2, 64<<20, 0)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	calls := 0
	value := func(v string) func(context.Context) (any, error) {
		return func(context.Context) (any, error) { calls++; return v, nil }
	}
	if got, _ := c.get(ctx, "k", now, value("v1")); got != "v1" {
		t.Fatalf("first get = %v, want v1", got)
	}
	if got, _ := c.get(ctx, "k", now.Add(time.Second), value("v2")); got != "v1" || calls != 1 {
		t.Errorf("within the TTL: got %v after %d computations, want v1 after 1", got, calls)
	}
	if got, _ := c.get(ctx, "k", now.Add(3*time.Second), value("v2")); got != "v2" {
		t.Errorf("after the TTL: got %v, want v2", got)
	}

	// After an import, the next request recomputes and sees the new
	// value; requests during that computation get the previous one.
	c.invalidate()
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan any)
	go func() {
		v, _ := c.get(ctx, "k", now.Add(3*time.Second), func(context.Context) (any, error) {
			close(started)
			<-release
			return "v3", nil
		})
		done <- v
	}()
	<-started
	if got, _ := c.get(ctx, "k", now.Add(3*time.Second), value("never")); got != "v2" {
		t.Errorf("during the recomputation: got %v, want the previous v2", got)
	}
	close(release)
	if got := <-done; got != "v3" {
		t.Errorf("the recomputing request got %v, want v3", got)
	}
	if got, _ := c.get(ctx, "k", now.Add(4*time.Second), value("never")); got != "v3" {
		t.Errorf("after the recomputation: got %v, want v3", got)
	}

	// A failed computation is not cached, and the last good value stays
	// available to readers during the retry.
	c.invalidate()
	boom := errors.New("boom")
	if _, err := c.get(ctx, "k", now.Add(5*time.Second), func(context.Context) (any, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("failing computation: err %v, want boom", err)
	}
	if got, _ := c.get(ctx, "k", now.Add(5*time.Second), value("v4")); got != "v4" {
		t.Errorf("after a failure: got %v, want a fresh v4", got)
	}
}

// TestReportCacheSlots: at most slots reports are computed at once, one
// per principal; a request that cannot get a slot before its context ends
// gets errBusy, and the computation is not cached as a value.
func TestReportCacheSlots(t *testing.T) {
	c := newReportCache(time.Minute, 2, 64<<20, 0)
	now := time.Now()
	started, release := make(chan string, 4), make(chan struct{})
	slow := func(name string) func(context.Context) (any, error) {
		return func(context.Context) (any, error) { started <- name; <-release; return name, nil }
	}
	as := func(who string, d time.Duration) (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithValue(context.Background(), principalKey{}, who), d)
	}
	// Eve asks for two different reports: the second waits for her first.
	ctx1, cancel1 := as("token:eve", time.Minute)
	defer cancel1()
	go c.get(ctx1, "a", now, slow("a"))
	if got := <-started; got != "a" {
		t.Fatalf("started %q", got)
	}
	ctx2, cancel2 := as("token:eve", 100*time.Millisecond)
	defer cancel2()
	if _, err := c.get(ctx2, "b", now, slow("b")); !errors.Is(err, errBusy) {
		t.Errorf("eve's second report while her first computes: %v, want errBusy", err)
	}
	// Ana is not held up by Eve: she gets the second slot.
	ctx3, cancel3 := as("user:ana", time.Minute)
	defer cancel3()
	done := make(chan any)
	go func() { v, _ := c.get(ctx3, "c", now, slow("c")); done <- v }()
	if got := <-started; got != "c" {
		t.Fatalf("started %q, want ana's c", got)
	}
	// Both slots are taken: a third principal waits, then gives up.
	ctx4, cancel4 := as("user:bob", 100*time.Millisecond)
	defer cancel4()
	if _, err := c.get(ctx4, "d", now, slow("d")); !errors.Is(err, errBusy) {
		t.Errorf("a third report with both slots taken: %v, want errBusy", err)
	}
	close(release)
	if v := <-done; v != "c" {
		t.Errorf("ana's report = %v", v)
	}
	// The refused computation was not cached: asked again, it computes.
	if v, err := c.get(context.Background(), "d", now, func(context.Context) (any, error) { return "d2", nil }); err != nil || v != "d2" {
		t.Errorf("after errBusy: %v, %v; want a fresh computation", v, err)
	}
}

// TestReportCacheMaxWait: a request whose context would let it wait for
// ever (its write deadline is not its context's) gives up after maxWait
// with errBusy, answered 503 while it still can be; it once waited past
// its write deadline for an empty reply.
func TestReportCacheMaxWait(t *testing.T) {
	c := newReportCache(time.Minute, 1, 64<<20, 100*time.Millisecond)
	now := time.Now()
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go c.get(context.Background(), "a", now, func(context.Context) (any, error) { close(started); <-release; return "a", nil })
	<-started
	begin := time.Now()
	if _, err := c.get(context.Background(), "b", now, func(context.Context) (any, error) { return "b", nil }); !errors.Is(err, errBusy) {
		t.Errorf("waiting with no deadline of its own: %v, want errBusy", err)
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("gave up after %v, want about maxWait", d)
	}
}

// TestReportCacheBytes: values beyond the byte budget are served but the
// cache does not keep more than it may.
func TestReportCacheBytes(t *testing.T) {
	c := newReportCache(time.Minute, 2, 1000, 0)
	now := time.Now()
	for i := range 10 {
		key := string(rune('a' + i))
		v, err := c.get(context.Background(), key, now, func(context.Context) (any, error) { return make([]byte, 400), nil })
		if err != nil || len(v.([]byte)) != 400 {
			t.Fatalf("get %s: %v", key, err)
		}
		if c.bytes > 1000 {
			t.Fatalf("after %d values of 400 bytes the cache holds %d bytes, budget 1000", i+1, c.bytes)
		}
	}
	big, _ := c.get(context.Background(), "big", now, func(context.Context) (any, error) { return make([]byte, 5000), nil })
	if len(big.([]byte)) != 5000 || c.bytes > 1000 {
		t.Errorf("a value over the budget: served %d bytes, cache holds %d", len(big.([]byte)), c.bytes)
	}
}

// TestReportCacheKinds: a change to one kind of data makes stale only the
// reports computed from it; a change to everything, all of them.
func TestReportCacheKinds(t *testing.T) {
	ctx := context.Background()
	c := newReportCache(time.Hour, 2, 64<<20, 0)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	get := func(key string) int {
		t.Helper()
		v, err := c.get(ctx, key, now, func(context.Context) (any, error) { n++; return n, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v.(int)
	}
	keys := []string{"gap|w|p", "gapjson|w|", "journeys|w|0|0", "journeysjson|w|0|0|1000", "voice|w"}
	first := map[string]int{}
	for _, k := range keys {
		first[k] = get(k)
	}
	for _, tc := range []struct {
		name   string
		kinds  []string
		recomp []string // the keys that must recompute
	}{
		{"observations", []string{"observations"}, []string{"gap|w|p", "gapjson|w|", "voice|w"}},
		{"contacts", []string{"contacts"}, keys},
		{"feedback", []string{"feedback"}, keys},
		{"reviews", []string{"reviews"}, []string{"gap|w|p", "gapjson|w|", "voice|w"}},
		{"everything", nil, keys},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.invalidate(tc.kinds...)
			for _, k := range keys {
				got := get(k)
				want := slices.Contains(tc.recomp, k)
				if changed := got != first[k]; changed != want {
					t.Errorf("%s after a change to %v: recomputed %v, want %v", k, tc.kinds, changed, want)
				}
				first[k] = got
			}
		})
	}
}
