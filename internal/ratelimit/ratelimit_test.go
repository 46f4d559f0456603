package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func mustNew(t *testing.T, cfg Config) *Limiter {
	t.Helper()
	l, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return l
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Rate: 0, Burst: 1},
		{Rate: -1, Burst: 1},
		{Rate: 1, Burst: 0},
		{Rate: 1, Burst: 1, IdleTTL: -time.Second},
		{Rate: 1, Burst: 1, MaxKeys: -1},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a bad config", cfg)
		}
	}
}

func TestBurstThenRefill(t *testing.T) {
	c := newClock()
	l := mustNew(t, Config{Rate: 2, Burst: 3, Now: c.Now})
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok {
		t.Fatal("request past the burst allowed")
	}
	if wait != 500*time.Millisecond {
		t.Errorf("retry after %v, want 500ms at 2 requests per second", wait)
	}
	// Another client has its own bucket.
	if ok, _ := l.Allow("b"); !ok {
		t.Error("a second client was limited by the first")
	}
	c.Add(499 * time.Millisecond)
	if ok, _ := l.Allow("a"); ok {
		t.Error("allowed before the token was refilled")
	}
	c.Add(time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("refused after the wait it announced")
	}
	// A long pause refills the bucket to the burst, never beyond.
	c.Add(time.Hour)
	n := 0
	for {
		ok, _ := l.Allow("a")
		if !ok {
			break
		}
		n++
	}
	if n != 3 {
		t.Errorf("after a long pause %d requests allowed, want the burst of 3", n)
	}
}

func TestIdleClientsAreEvicted(t *testing.T) {
	c := newClock()
	l := mustNew(t, Config{Rate: 10, Burst: 10, IdleTTL: time.Minute, Now: c.Now})
	for i := range 50 {
		l.Allow(fmt.Sprintf("10.0.0.%d", i))
	}
	if l.Len() != 50 {
		t.Fatalf("Len = %d, want 50", l.Len())
	}
	c.Add(30 * time.Second)
	l.Allow("10.0.0.1") // still active
	c.Add(31 * time.Second)
	l.Allow("fresh")
	if got := l.Len(); got != 2 {
		t.Errorf("after the TTL %d clients tracked, want 2 (the active one and the new one)", got)
	}
}

func TestIdleTTLNeverShorterThanRefill(t *testing.T) {
	c := newClock()
	// A bucket of 10 at 1/s takes 10s to refill; a 1s TTL would let a
	// client reset its bucket by pausing 1s.
	l := mustNew(t, Config{Rate: 1, Burst: 10, IdleTTL: time.Second, Now: c.Now})
	for range 10 {
		l.Allow("a")
	}
	c.Add(2 * time.Second)
	l.Allow("other") // triggers a sweep
	allowed := 0
	for range 10 {
		if ok, _ := l.Allow("a"); ok {
			allowed++
		}
	}
	if allowed != 2 {
		t.Errorf("after 2s, %d requests allowed, want 2 refilled tokens", allowed)
	}
}

func TestMaxKeysBoundsMemory(t *testing.T) {
	c := newClock()
	l := mustNew(t, Config{Rate: 1, Burst: 1, MaxKeys: 100, Now: c.Now})
	for i := range 1000 {
		if ok, _ := l.Allow(fmt.Sprint(i)); !ok {
			t.Fatalf("new client %d refused", i)
		}
	}
	if l.Len() > 100 {
		t.Errorf("Len = %d, want at most 100", l.Len())
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newClock()
	l := mustNew(t, Config{Rate: 1, Burst: 100, Now: c.Now})
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if ok, _ := l.Allow("shared"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed != 100 {
		t.Errorf("%d of 400 concurrent requests allowed, want exactly the burst of 100", allowed)
	}
}
