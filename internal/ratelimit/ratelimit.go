// Package ratelimit limits how often each client may call: one token
// bucket per key (a client address), refilled at a steady rate, with the
// buckets of idle clients evicted so memory stays bounded.
package ratelimit

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// Defaults of a Config's zero fields.
const (
	DefaultIdleTTL = 10 * time.Minute
	DefaultMaxKeys = 100_000
)

// Config configures a Limiter.
type Config struct {
	// Rate is how many requests per second a client may make on average.
	Rate float64
	// Burst is how many requests a client may make at once after being
	// idle; at least 1.
	Burst int
	// IdleTTL is how long a client's bucket is kept after its last
	// request. It is raised to the time a bucket takes to refill, so that
	// evicting a bucket never gives its client more than a full one.
	// Zero means DefaultIdleTTL.
	IdleTTL time.Duration
	// MaxKeys bounds how many clients are tracked at once. When it is
	// reached and no bucket is idle, an arbitrary one is dropped (its
	// client starts again with a full bucket). Zero means DefaultMaxKeys.
	MaxKeys int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Limiter is a set of token buckets keyed by client. It is safe for
// concurrent use.
type Limiter struct {
	rate    float64
	burst   float64
	idleTTL time.Duration
	maxKeys int
	now     func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

// bucket is one client's tokens as of last.
type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter for cfg. It returns an error if Rate is not
// positive and finite or Burst is less than 1.
func New(cfg Config) (*Limiter, error) {
	if !(cfg.Rate > 0) || math.IsInf(cfg.Rate, 0) {
		return nil, fmt.Errorf("ratelimit: rate must be a positive number of requests per second, not %v", cfg.Rate)
	}
	if cfg.Burst < 1 {
		return nil, fmt.Errorf("ratelimit: burst must be at least 1, not %d", cfg.Burst)
	}
	if cfg.IdleTTL < 0 || cfg.MaxKeys < 0 {
		return nil, errors.New("ratelimit: idle TTL and max keys must not be negative")
	}
	l := &Limiter{
		rate:    cfg.Rate,
		burst:   float64(cfg.Burst),
		idleTTL: cfg.IdleTTL,
		maxKeys: cfg.MaxKeys,
		now:     cfg.Now,
		buckets: map[string]*bucket{},
	}
	if l.idleTTL == 0 {
		l.idleTTL = DefaultIdleTTL
	}
	if refill := time.Duration(l.burst / l.rate * float64(time.Second)); l.idleTTL < refill {
		l.idleTTL = refill
	}
	if l.maxKeys == 0 {
		l.maxKeys = DefaultMaxKeys
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l, nil
}

// Allow takes one token from key's bucket. It returns true if there was
// one; otherwise false and how long the client should wait before its next
// request can succeed.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.idleTTL {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.maxKeys {
			l.sweep(now)
			if len(l.buckets) >= l.maxKeys {
				l.dropAny()
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, max(wait, time.Nanosecond)
}

// Len returns how many clients are tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// sweep drops the buckets idle for longer than the TTL; by then they are
// full, so their clients lose nothing.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.last) >= l.idleTTL {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// dropAny drops one bucket, whichever the map yields first, in constant
// time even when the limiter is full.
func (l *Limiter) dropAny() {
	for k := range l.buckets {
		delete(l.buckets, k)
		return
	}
}
