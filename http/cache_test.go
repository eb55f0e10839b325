package http

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestReportCache(t *testing.T) {
	ctx := context.Background()
	c := newReportCache(2*time.Second, 2, 64<<20)
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
