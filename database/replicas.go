package database

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// Reads of a GraphQL query may be served by a PostgreSQL streaming replica
// (YANZHEN_REPLICA_URLS). Router is the ent driver that decides, statement
// by statement, where each one goes; docs/scaling.md states the rules and
// the staleness they allow.

// DefaultReadYourWrites is how long after a viewer's write that viewer's
// reads stay on the primary unless a replica is known to have replayed it.
const DefaultReadYourWrites = 5 * time.Second

// DefaultReplicaCheck is how often each replica's health and replay
// position are read.
const DefaultReplicaCheck = 500 * time.Millisecond

// maxReplicaBackoff caps the wait before a replica that failed is tried again.
const maxReplicaBackoff = 10 * time.Second

// LSN is a position in PostgreSQL's write-ahead log (pg_lsn).
type LSN uint64

// ParseLSN reads the text form of a pg_lsn, "16/B374D848".
func ParseLSN(s string) (LSN, error) {
	hi, lo, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, fmt.Errorf("%q is not a WAL position", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a WAL position", s)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a WAL position", s)
	}
	return LSN(h<<32 | l), nil
}

func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint64(l)&0xFFFFFFFF) }

// A replica may go away after its answer has begun (rows handed to ent):
// that read cannot move to the primary by itself. The API watches for it
// (WatchReplicas) and answers the whole request again from the primary
// (PrimaryOnly) — a query writes nothing, so running it twice is safe.

type watchKey struct{}
type primaryOnlyKey struct{}

// ReplicaWatch tells what the replicas did for one request.
type ReplicaWatch struct {
	// Used: a replica answered one of its reads.
	Used atomic.Bool
	// Lost: a replica failed a read too late to move it to the primary.
	Lost atomic.Bool
}

// WatchReplicas returns ctx and what the replicas will have done under it.
func WatchReplicas(ctx context.Context) (context.Context, *ReplicaWatch) {
	w := new(ReplicaWatch)
	return context.WithValue(ctx, watchKey{}, w), w
}

func watching(ctx context.Context) *ReplicaWatch {
	w, _ := ctx.Value(watchKey{}).(*ReplicaWatch)
	if w == nil {
		w = new(ReplicaWatch) // nobody watches: a throwaway
	}
	return w
}

// PrimaryOnly marks ctx so that ReadOnly leaves it on the primary.
func PrimaryOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryOnlyKey{}, true)
}

// reading marks a context whose statements may be served by a replica.
type reading struct {
	viewer string // whose earlier writes the read must see ("" for none)
	after  LSN    // a WAL position the read must see (from another process)
	// pin is the replica the operation reads from, once chosen, so that its
	// statements (a connection's count and its page) see one state; nil
	// when the context is not read-only.
	pin *atomic.Pointer[Replica]
}

type readingKey struct{}

// ReadOnly marks ctx as a read-only operation of viewer (a key naming the
// account, "" for anonymous callers): its plain reads may go to a replica
// that has replayed the viewer's last write. Writes and transactions under
// it still go to the primary.
func ReadOnly(ctx context.Context, viewer string) context.Context {
	if only, _ := ctx.Value(primaryOnlyKey{}).(bool); only {
		return ctx
	}
	r, _ := ctx.Value(readingKey{}).(reading)
	r.viewer = viewer
	r.pin = new(atomic.Pointer[Replica])
	return context.WithValue(ctx, readingKey{}, r)
}

// ReadAfter asks that the reads under ctx see at least the WAL position
// lsn: a write made through another process (the Yanzhen-Read-After
// header). It does not make ctx read-only by itself.
func ReadAfter(ctx context.Context, lsn LSN) context.Context {
	r, _ := ctx.Value(readingKey{}).(reading)
	r.after = max(r.after, lsn)
	return context.WithValue(ctx, readingKey{}, r)
}

// Router is the ent driver over a PostgreSQL primary and its streaming
// replicas. Exec, transactions and every statement that is not a SELECT go
// to the primary; a SELECT goes to a healthy replica (round robin) only
// when its context is marked ReadOnly and the replica has replayed the
// viewer's last write. A replica that fails a read is taken out of the
// rotation and the read is answered by the primary.
type Router struct {
	primary  *entsql.Driver
	replicas []*Replica
	// window is how long a viewer's write pins that viewer's reads to
	// replicas that have replayed it (to the primary when that is unknown).
	window time.Duration
	every  time.Duration
	next   atomic.Uint64

	mu     sync.Mutex
	writes map[string]write // by viewer

	primaryLSN atomic.Uint64 // the primary's current WAL position, as last read
	primaryN   atomic.Int64  // statements the primary served for marked reads

	stop chan struct{}
	done sync.WaitGroup
}

type write struct {
	lsn LSN // 0: unknown
	at  time.Time
}

// Replica is one streaming replica and what the health checker last learnt
// of it.
type Replica struct {
	// Name is the application_name its connections carry
	// (yanzhen-replica-1, …), as pg_stat_activity shows them.
	Name string
	// Location names it for logs, without credentials.
	Location string
	db       *stdsql.DB
	drv      *entsql.Driver
	// check is the health checker's own connection ("… health" in
	// pg_stat_activity), so that it never waits behind the reads.
	check  *stdsql.DB
	served atomic.Int64

	mu       sync.Mutex
	checked  bool
	up       bool
	replay   LSN
	lagBytes int64
	failures int
	retryAt  time.Time
	lastErr  error
}

// ReplicaStatus is what /readyz says of a replica.
type ReplicaStatus struct {
	Name string `json:"name"`
	// State is "up", "down" or "starting" (not checked yet).
	State string `json:"state"`
	// LagBytes is how far its replay is behind the primary's WAL position,
	// as last read (-1: the replica reports no replay position).
	LagBytes int64 `json:"lag_bytes"`
	// Served counts the statements it answered.
	Served int64 `json:"served"`
}

func newRouter(primary *entsql.Driver, replicas []*Replica, window, every time.Duration) *Router {
	r := &Router{primary: primary, replicas: replicas, window: window, every: every,
		writes: map[string]write{}, stop: make(chan struct{})}
	r.done.Add(1 + len(replicas))
	go r.watchPrimary()
	for _, rep := range replicas {
		go r.watch(rep)
	}
	return r
}

// Replicas lists the replicas' states, in configuration order.
func (r *Router) Replicas() []ReplicaStatus {
	if r == nil {
		return nil
	}
	out := make([]ReplicaStatus, len(r.replicas))
	for i, rep := range r.replicas {
		rep.mu.Lock()
		s := ReplicaStatus{Name: rep.Name, State: "down", LagBytes: rep.lagBytes, Served: rep.served.Load()}
		switch {
		case !rep.checked:
			s.State = "starting"
		case rep.up:
			s.State = "up"
		}
		rep.mu.Unlock()
		out[i] = s
	}
	return out
}

// PrimaryReads counts the statements of read-only operations the primary
// answered (no replica could, or the viewer had just written).
func (r *Router) PrimaryReads() int64 { return r.primaryN.Load() }

// NoteWrite records that viewer has just written: its reads for the next
// window go to a replica only once that replica has replayed the primary's
// present WAL position. It returns that position (0 when unknown), which
// another process honours through ReadAfter.
func (r *Router) NoteWrite(ctx context.Context, viewer string) LSN {
	if r == nil {
		return 0
	}
	lsn, err := r.currentLSN(context.WithoutCancel(ctx))
	if err != nil {
		slog.WarnContext(ctx, "reading the primary's WAL position after a write", "error", err)
	}
	if viewer != "" {
		r.mu.Lock()
		r.writes[viewer] = write{lsn: lsn, at: time.Now()}
		r.mu.Unlock()
	}
	return lsn
}

func (r *Router) currentLSN(ctx context.Context) (LSN, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var s string
	if err := r.primary.DB().QueryRowContext(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&s); err != nil {
		return 0, err
	}
	return ParseLSN(s)
}

// replicaFor is the replica to send query to under ctx, or nil for the
// primary.
func (r *Router) replicaFor(ctx context.Context, query string) *Replica {
	rd, _ := ctx.Value(readingKey{}).(reading)
	if rd.pin == nil || !isSelect(query) {
		return nil
	}
	need := rd.after
	if rd.viewer != "" {
		r.mu.Lock()
		w, wrote := r.writes[rd.viewer]
		r.mu.Unlock()
		if wrote && time.Since(w.at) < r.window {
			if w.lsn == 0 {
				return nil // the write's position is unknown: only the primary surely has it
			}
			need = max(need, w.lsn)
		}
	}
	if rep := rd.pin.Load(); rep != nil && rep.serves(need) {
		return rep
	}
	n := uint64(len(r.replicas))
	start := r.next.Add(1)
	for i := range n {
		if rep := r.replicas[(start+i)%n]; rep.serves(need) {
			rd.pin.Store(rep)
			return rep
		}
	}
	return nil
}

// isSelect reports whether a statement only reads: ent's queries and the
// analytics' SQL begin with SELECT or WITH. A WITH that writes is refused
// by the replica as read-only and answered by the primary (fallBack).
func isSelect(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	w := strings.ToUpper(q[:6])
	return w == "SELECT" || strings.HasPrefix(w, "WITH")
}

func (rep *Replica) serves(need LSN) bool {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	return rep.up && rep.replay >= need
}

// fallBack reports whether a read the replica failed should be sent to the
// primary, and takes the replica out of the rotation when it is the
// replica, not the statement, that failed.
func (r *Router) fallBack(ctx context.Context, rep *Replica, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "25006", // read-only transaction: a statement that writes
			pe.Code == "40001": // canceled by a conflict with recovery
			return true
		case pe.Code.Class() == "08", pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", pe.Code == "53300":
			rep.failed(r.every, err)
			return true
		}
		return false // the statement's own error: the primary would give it too
	}
	// Not an answer of the server: the connection broke (EOF, refused, reset).
	rep.failed(r.every, err)
	return true
}

func (rep *Replica) failed(every time.Duration, err error) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	rep.checked = true
	if rep.up {
		slog.Warn("replica down: its reads go to the primary", "replica", rep.Name, "location", rep.Location, "error", err)
	}
	rep.up = false
	rep.lastErr = err
	rep.failures++
	rep.retryAt = time.Now().Add(backoff(every, rep.failures))
}

// backoff doubles the wait after each failure in a row, up to maxReplicaBackoff.
func backoff(every time.Duration, failures int) time.Duration {
	d := every
	for i := 1; i < failures && d < maxReplicaBackoff; i++ {
		d *= 2
	}
	return min(d, maxReplicaBackoff)
}

// watchPrimary keeps the primary's WAL position (for the replicas' lag)
// and forgets writes older than the window.
func (r *Router) watchPrimary() {
	defer r.done.Done()
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		if lsn, err := r.currentLSN(context.Background()); err == nil {
			r.primaryLSN.Store(uint64(lsn))
		}
		r.mu.Lock()
		for v, w := range r.writes {
			if time.Since(w.at) >= r.window {
				delete(r.writes, v)
			}
		}
		r.mu.Unlock()
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
	}
}

// watch checks rep every interval while it is up, and with a growing wait
// while it is down.
func (r *Router) watch(rep *Replica) {
	defer r.done.Done()
	for {
		r.check(rep)
		rep.mu.Lock()
		wait := r.every
		if !rep.up {
			wait = max(time.Until(rep.retryAt), 10*time.Millisecond)
		}
		rep.mu.Unlock()
		select {
		case <-r.stop:
			return
		case <-time.After(wait):
		}
	}
}

// check reads rep's replay position; a replica that does not answer, or
// is no longer in recovery (promoted: it would take writes the primary
// does not have), is down.
func (r *Router) check(rep *Replica) {
	ctx, cancel := context.WithTimeout(context.Background(), max(time.Second, 2*r.every))
	defer cancel()
	var recovering bool
	var replay stdsql.NullString
	err := rep.check.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text`).Scan(&recovering, &replay)
	var lsn LSN
	switch {
	case err != nil:
	case !recovering:
		err = errors.New("the server is not in recovery: not a streaming replica (promoted?)")
	case !replay.Valid:
		// No position to compare with (a managed replica that does not
		// replay WAL itself): it serves only reads that need none, and a
		// viewer who has just written reads from the primary for the window.
	default:
		lsn, err = ParseLSN(replay.String)
	}
	if err != nil {
		rep.failed(r.every, err)
		return
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	if !rep.up {
		slog.Info("replica up: it serves reads", "replica", rep.Name, "location", rep.Location)
	}
	rep.checked, rep.up, rep.failures, rep.lastErr = true, true, 0, nil
	rep.replay = lsn
	rep.lagBytes = 0
	if p := LSN(r.primaryLSN.Load()); p > lsn && lsn != 0 {
		rep.lagBytes = int64(p - lsn)
	} else if lsn == 0 {
		rep.lagBytes = -1 // unknown
	}
}

// dialect.Driver

func (r *Router) Dialect() string { return r.primary.Dialect() }

func (r *Router) Exec(ctx context.Context, query string, args, v any) error {
	return r.primary.Exec(ctx, query, args, v)
}

func (r *Router) Query(ctx context.Context, query string, args, v any) error {
	if rep := r.replicaFor(ctx, query); rep != nil {
		err := rep.drv.Query(ctx, query, args, v)
		if err == nil {
			rep.served.Add(1)
			watching(ctx).Used.Store(true)
			if rows, ok := v.(*entsql.Rows); ok {
				rows.ColumnScanner = &failoverRows{ColumnScanner: rows.ColumnScanner,
					failed: func(err error) bool { return r.fallBack(ctx, rep, err) },
					again: func() (entsql.ColumnScanner, error) {
						var p entsql.Rows
						r.countPrimary(ctx)
						err := r.primary.Query(ctx, query, args, &p)
						return p.ColumnScanner, err
					},
					lost: func() { watching(ctx).Lost.Store(true) }}
			}
			return nil
		}
		if !r.fallBack(ctx, rep, err) {
			return err
		}
	}
	r.countPrimary(ctx)
	return r.primary.Query(ctx, query, args, v)
}

// failoverRows reads a replica's answer. A replica that goes away after
// answering a query but before its rows arrive fails on the first Next;
// then, no row having been seen, the query is run again on the primary
// and its rows are read instead. A failure after the first row is the
// query's error.
type failoverRows struct {
	entsql.ColumnScanner
	started bool
	failed  func(error) bool // whether the primary should answer instead
	again   func() (entsql.ColumnScanner, error)
	lost    func() // the replica failed after rows were read: too late to move
	err     error
}

func (f *failoverRows) Next() bool {
	if f.err != nil {
		return false
	}
	if f.started {
		if f.ColumnScanner.Next() {
			return true
		}
		if err := f.ColumnScanner.Err(); err != nil && f.failed(err) {
			f.lost()
		}
		return false
	}
	f.started = true
	if f.ColumnScanner.Next() {
		return true
	}
	if err := f.ColumnScanner.Err(); err == nil || !f.failed(err) {
		return false
	}
	f.ColumnScanner.Close()
	rows, err := f.again()
	if err != nil {
		f.err = err
		return false
	}
	f.ColumnScanner = rows
	return rows.Next()
}

func (f *failoverRows) Err() error {
	if f.err != nil {
		return f.err
	}
	return f.ColumnScanner.Err()
}

func (r *Router) countPrimary(ctx context.Context) {
	if rd, _ := ctx.Value(readingKey{}).(reading); rd.pin != nil {
		r.primaryN.Add(1)
	}
}

func (r *Router) Tx(ctx context.Context) (dialect.Tx, error) { return r.primary.Tx(ctx) }

// BeginTx: every transaction runs on the primary.
func (r *Router) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error) {
	return r.primary.BeginTx(ctx, opts)
}

// ExecContext and QueryContext serve ent's raw statements (the analytics'
// SQL) by the same rules.

func (r *Router) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return r.primary.ExecContext(ctx, query, args...)
}

func (r *Router) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	if rep := r.replicaFor(ctx, query); rep != nil {
		rows, err := rep.drv.QueryContext(ctx, query, args...)
		if err == nil {
			rep.served.Add(1)
			watching(ctx).Used.Store(true)
			return rows, nil
		}
		if !r.fallBack(ctx, rep, err) {
			return nil, err
		}
	}
	r.countPrimary(ctx)
	return r.primary.QueryContext(ctx, query, args...)
}

// Close stops the health checks and closes every pool.
func (r *Router) Close() error {
	close(r.stop)
	r.done.Wait()
	var errs []error
	for _, rep := range r.replicas {
		errs = append(errs, rep.db.Close(), rep.check.Close())
	}
	errs = append(errs, r.primary.Close())
	return errors.Join(errs...)
}
