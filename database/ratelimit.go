package database

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"yanzhen/auth"
)

// Limiter is a rate limit whose buckets live in the database (rate_buckets),
// so every server process on it spends from the same budget: behind N
// processes a client still gets Burst attempts, not N×Burst. One attempt is
// one upsert (GCRA: each row holds the time its bucket is next full). When
// the database cannot be asked, the process's own bucket decides, so an
// outage neither opens the door nor locks everyone out.
type Limiter struct {
	db    *DB
	name  string
	Every time.Duration
	Burst int
	// Now is the clock (nil: time.Now); tests move it.
	Now func() time.Time

	local *auth.RateLimiter
	swept atomic.Int64
}

// Limiter returns the shared rate limit called name ("login", "search"):
// burst attempts per key at once, then one per every.
func (db *DB) Limiter(name string, every time.Duration, burst int) *Limiter {
	return &Limiter{db: db, name: name, Every: every, Burst: burst, local: auth.NewRateLimiter(every, burst)}
}

// limitTimeout bounds the upsert: a limiter must not hold a login up.
const limitTimeout = 2 * time.Second

// sweepEvery is how often a process deletes the buckets that are full again.
const sweepEvery = time.Minute

// Allow spends one attempt of key and reports whether one was left.
func (l *Limiter) Allow(key string) bool {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now().UnixMilli()
	every := l.Every.Milliseconds()
	ctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
	defer cancel()
	greatest := "GREATEST"
	if l.db.Dialect == dialect.SQLite {
		greatest = "MAX"
	}
	// Allowed while the bucket, after this attempt, holds at most Burst
	// attempts' worth of time ahead of now; a refused attempt changes nothing.
	// The parameters are cast: PostgreSQL cannot type "$2 + $3" alone.
	q := `INSERT INTO rate_buckets (key, tat) VALUES ($1, CAST($2 AS BIGINT) + CAST($3 AS BIGINT))
		ON CONFLICT (key) DO UPDATE SET tat = ` + greatest + `(rate_buckets.tat, CAST($2 AS BIGINT)) + CAST($3 AS BIGINT)
		WHERE ` + greatest + `(rate_buckets.tat, CAST($2 AS BIGINT)) + CAST($3 AS BIGINT) - CAST($2 AS BIGINT) <= CAST($4 AS BIGINT)
		RETURNING tat`
	rows, err := l.db.SQL.QueryContext(ctx, q, l.bucketKey(key), t, every, int64(l.Burst)*every)
	if err != nil {
		slog.Warn("shared rate limit unavailable; this process decides alone", "limit", l.name, "err", err)
		return l.local.Allow(key)
	}
	allowed := rows.Next()
	if err := rows.Close(); err != nil {
		slog.Warn("shared rate limit unavailable; this process decides alone", "limit", l.name, "err", err)
		return l.local.Allow(key)
	}
	if last := l.swept.Load(); t-last > sweepEvery.Milliseconds() && l.swept.CompareAndSwap(last, t) {
		if _, err := l.db.SQL.ExecContext(ctx, `DELETE FROM rate_buckets WHERE tat < CAST($1 AS BIGINT)`, t); err != nil {
			slog.Warn("sweeping full rate buckets", "err", err)
		}
	}
	return allowed
}

// bucketKey names a key's row without the key: an address or an account
// number is not stored as such.
func (l *Limiter) bucketKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return l.name + ":" + hex.EncodeToString(h[:20])
}
