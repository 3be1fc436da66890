package accounts

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/authepoch"
)

// Defaults of the session cache (see Sessions).
const (
	// DefaultSessionCacheTTL is how long a resolved token is kept.
	DefaultSessionCacheTTL = 30 * time.Second
	// DefaultEpochCheck is how often a process reads the auth epoch: the
	// longest another process's change of a sign-in goes unseen here.
	DefaultEpochCheck = time.Second
	// sessionCacheSize bounds the tokens kept; past it the cache starts over.
	sessionCacheSize = 10000
)

// Sessions resolves bearer tokens like Authenticate, through a short-lived
// cache of this process keyed by the token's hash: a request of a known
// token costs no statement, and at most one request a second (per process)
// reads the auth epoch, one number. Nothing is shared between processes
// but the database:
//
//   - a change in this process (logout, revoke, disable, role, scope,
//     grant or password) empties the cache at once, and nothing is cached
//     until the request that made it is over, committed (Watch);
//   - a change in another process advances the auth epoch in its
//     transaction (ent/schema/authepoch.go); this process sees the new
//     epoch within EpochCheck and empties its cache;
//   - an entry lives at most TTL, and never past its session's end.
//
// Safe for concurrent use; the server makes one and hands it down.
type Sessions struct {
	// TTL is how long a resolved token is kept (0: DefaultSessionCacheTTL;
	// negative: no cache, every request asks the database).
	TTL time.Duration
	// EpochCheck is how often the auth epoch is read (0: DefaultEpochCheck).
	EpochCheck time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time

	mu       sync.Mutex
	entries  map[string]cachedSession
	gen      uint64 // advances whenever the cache is emptied
	changing int    // requests changing sign-ins, not over yet

	epochMu   sync.Mutex
	epoch     int64
	checkedAt time.Time
	checked   bool

	hits, misses atomic.Int64
}

type cachedSession struct {
	viewer  auth.Viewer
	expires time.Time // the session's end or the entry's, the earlier
}

// NewSessions is a session cache with the given lifetime and epoch check
// interval (zero: the defaults).
func NewSessions(ttl, epochCheck time.Duration) *Sessions {
	return &Sessions{TTL: ttl, EpochCheck: epochCheck}
}

func (s *Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sessions) ttl() time.Duration {
	if s.TTL == 0 {
		return DefaultSessionCacheTTL
	}
	return s.TTL
}

func (s *Sessions) epochCheck() time.Duration {
	if s.EpochCheck <= 0 {
		return DefaultEpochCheck
	}
	return s.EpochCheck
}

// Stats reports the lookups answered from the cache and from the database.
func (s *Sessions) Stats() (hits, misses int64) { return s.hits.Load(), s.misses.Load() }

// Authenticate resolves a bearer token to its viewer (a copy the caller may
// change); nil when the token is unknown, expired, revoked or its user
// disabled. Unknown tokens are not cached: each costs its query.
func (s *Sessions) Authenticate(ctx context.Context, c *ent.Client, token string) (*auth.Viewer, error) {
	if token == "" {
		return nil, nil
	}
	if s.ttl() < 0 {
		return Authenticate(ctx, c, token)
	}
	if err := s.checkEpoch(ctx, c); err != nil {
		return nil, err
	}
	hash := auth.HashToken(token)
	now := s.now()
	s.mu.Lock()
	e, ok := s.entries[hash]
	gen := s.gen
	s.mu.Unlock()
	if ok && now.Before(e.expires) {
		s.hits.Add(1)
		v := e.viewer
		return &v, nil
	}
	s.misses.Add(1)
	v, expires, err := authenticate(ctx, c, hash)
	if err != nil || v == nil {
		return v, err
	}
	if end := now.Add(s.ttl()); end.Before(expires) {
		expires = end
	}
	s.mu.Lock()
	// Emptied meanwhile (a change here or an epoch seen moving): what was
	// read may be older than the change, so it is not kept.
	if s.gen == gen && s.changing == 0 {
		if s.entries == nil || len(s.entries) >= sessionCacheSize {
			s.entries = make(map[string]cachedSession)
		}
		s.entries[hash] = cachedSession{viewer: *v, expires: expires}
	}
	s.mu.Unlock()
	return v, nil
}

// checkEpoch reads the auth epoch when EpochCheck has passed since the last
// read, and empties the cache when it moved. Requests arriving during the
// read wait for it: none is answered from a cache older than EpochCheck.
func (s *Sessions) checkEpoch(ctx context.Context, c *ent.Client) error {
	s.epochMu.Lock()
	defer s.epochMu.Unlock()
	now := s.now()
	if s.checked && now.Sub(s.checkedAt) < s.epochCheck() {
		return nil
	}
	// One row (the largest, should a race have made two; none reads as 0).
	rows, err := c.AuthEpoch.Query().Select(authepoch.FieldEpoch).Ints(internal(ctx))
	if err != nil {
		return err
	}
	var epoch int64
	for _, e := range rows {
		epoch = max(epoch, int64(e))
	}
	if !s.checked || epoch != s.epoch {
		s.forget()
	}
	s.epoch, s.checkedAt, s.checked = epoch, now, true
	return nil
}

// forget empties the cache.
func (s *Sessions) forget() {
	s.mu.Lock()
	s.entries = nil
	s.gen++
	s.mu.Unlock()
}

// Watch returns ctx for a request that may change sign-ins, and done, to
// call when the request is over (its transaction committed or rolled
// back). If the request changes one, the cache is emptied at the change
// and again at done, and nothing read in between is cached: the change is
// not committed yet, so what is read may be the old account.
func (s *Sessions) Watch(ctx context.Context) (context.Context, func()) {
	w := &watch{s: s}
	return auth.WithSignInWatcher(ctx, w), w.done
}

type watch struct {
	s       *Sessions
	mu      sync.Mutex
	started bool
}

func (w *watch) SignInsChanging() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if !w.started {
		w.started = true
		w.s.changing++
	}
	w.s.entries = nil
	w.s.gen++
}

func (w *watch) done() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.started {
		return
	}
	w.started = false
	w.s.mu.Lock()
	w.s.changing--
	w.s.entries = nil
	w.s.gen++
	w.s.mu.Unlock()
}
