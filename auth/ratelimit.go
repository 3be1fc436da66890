package auth

import (
	"sync"
	"time"
)

// RateLimiter is a token bucket per key (the client's IP for logins, the
// account for searches): each key may spend Burst attempts at once and
// regains one every Every. Buckets idle long enough to be full again are
// forgotten, so memory stays bounded by the keys active in that window. It
// is safe for concurrent use; whoever creates one owns its state (the
// server creates its limiters and hands them down).
type RateLimiter struct {
	Every time.Duration
	Burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewRateLimiter allows burst attempts per key, then one per every.
func NewRateLimiter(every time.Duration, burst int) *RateLimiter {
	return &RateLimiter{Every: every, Burst: burst, buckets: map[string]*bucket{}, now: time.Now}
}

// Allow spends one attempt of key and reports whether one was left.
func (l *RateLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	full := time.Duration(l.Burst) * l.Every
	if now.Sub(l.swept) > full {
		for k, b := range l.buckets {
			if now.Sub(b.last) >= full {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.last))/float64(l.Every))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Limiter bounds attempts per key: a RateLimiter of one process, or a
// limit shared by every process through the database (database.Limiter).
type Limiter interface {
	// Allow spends one attempt of key and reports whether one was left.
	Allow(key string) bool
}
