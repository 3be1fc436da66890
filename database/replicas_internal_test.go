package database

import (
	"context"
	stdsql "database/sql"
	"errors"
	"io"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// The routing rules, on replicas whose state is set by hand (the server
// test TestReplicaRouting runs them on a real primary and replica).

func routerOf(replicas ...*Replica) *Router {
	return &Router{replicas: replicas, window: time.Minute, every: 100 * time.Millisecond, writes: map[string]write{}}
}

func replicaAt(name string, up bool, replay LSN) *Replica {
	return &Replica{Name: name, checked: true, up: up, replay: replay}
}

const selectPeople = `SELECT "persons"."id" FROM "persons" LIMIT 5`

func TestReplicaForRules(t *testing.T) {
	a, b := replicaAt("a", true, 100), replicaAt("b", true, 200)
	r := routerOf(a, b)
	bg := context.Background()
	reader := ReadOnly(bg, "user 1")

	if rep := r.replicaFor(bg, selectPeople); rep != nil {
		t.Fatalf("a statement outside a read-only operation went to %s", rep.Name)
	}
	for _, q := range []string{`INSERT INTO "audit_logs" ("action") VALUES ($1) RETURNING "id"`, `UPDATE "persons" SET "name" = $1`, `DELETE FROM "sessions"`} {
		if rep := r.replicaFor(reader, q); rep != nil {
			t.Fatalf("%q went to %s", q, rep.Name)
		}
	}
	seen := map[string]bool{}
	for range 4 {
		if rep := r.replicaFor(ReadOnly(bg, "user 1"), selectPeople); rep != nil {
			seen[rep.Name] = true
		}
	}
	if !seen["a"] || !seen["b"] {
		t.Fatalf("round robin over two healthy replicas chose %v", seen)
	}
	// One operation reads one replica: its count and its page agree.
	first := r.replicaFor(reader, selectPeople)
	for range 4 {
		if rep := r.replicaFor(reader, selectPeople); rep != first {
			t.Fatalf("one operation read from %s and then from %v", first.Name, rep)
		}
	}
	if rep := r.replicaFor(reader, "  with recursive down(id) AS (SELECT 1) SELECT id FROM down"); rep == nil {
		t.Fatal("a WITH query (the analytics' recursive SQL) did not go to a replica")
	}

	// The viewer wrote at 150: only b has replayed it.
	r.writes["user 1"] = write{lsn: 150, at: time.Now()}
	for range 4 {
		if rep := r.replicaFor(ReadOnly(bg, "user 1"), selectPeople); rep != b {
			t.Fatalf("after a write at 150, a read went to %v, not to the replica at 200", rep)
		}
	}
	// Another viewer is not held back by it.
	seen = map[string]bool{}
	for range 4 {
		seen[r.replicaFor(ReadOnly(bg, "user 2"), selectPeople).Name] = true
	}
	// A replica that reports no replay position (0) serves viewers who
	// have not just written, and not the writer within the window.
	unknown := routerOf(replicaAt("u", true, 0))
	unknown.writes["user 1"] = write{lsn: 150, at: time.Now()}
	if unknown.replicaFor(ReadOnly(bg, "user 2"), selectPeople) == nil || unknown.replicaFor(ReadOnly(bg, "user 1"), selectPeople) != nil {
		t.Fatal("a replica of unknown replay position: wrong reads sent to it")
	}
	if !seen["a"] {
		t.Fatal("another viewer's reads avoid the replica that has not replayed the first viewer's write")
	}
	// Neither has replayed 300: the primary.
	r.writes["user 1"] = write{lsn: 300, at: time.Now()}
	if rep := r.replicaFor(reader, selectPeople); rep != nil {
		t.Fatalf("a read after a write no replica has replayed went to %s", rep.Name)
	}
	// Unknown position: the primary, within the window.
	r.writes["user 1"] = write{at: time.Now()}
	if rep := r.replicaFor(reader, selectPeople); rep != nil {
		t.Fatalf("a read after a write of unknown position went to %s", rep.Name)
	}
	// Past the window the write no longer holds the viewer back.
	r.writes["user 1"] = write{lsn: 300, at: time.Now().Add(-2 * time.Minute)}
	if rep := r.replicaFor(reader, selectPeople); rep == nil {
		t.Fatal("a write older than the window still keeps the viewer on the primary")
	}
	// A position from another process (Yanzhen-Read-After).
	if rep := r.replicaFor(ReadAfter(ReadOnly(bg, ""), 180), selectPeople); rep != b {
		t.Fatalf("a read after 180 went to %v", rep)
	}
	if rep := r.replicaFor(ReadAfter(bg, 180), selectPeople); rep != nil {
		t.Fatal("ReadAfter alone made a context read-only")
	}

	// A replica that is down is skipped; with none up, the primary.
	b.up = false
	for range 4 {
		if rep := r.replicaFor(ReadOnly(bg, "user 2"), selectPeople); rep != a {
			t.Fatalf("with b down a read went to %v", rep)
		}
	}
	a.up = false
	if rep := r.replicaFor(ReadOnly(bg, "user 2"), selectPeople); rep != nil {
		t.Fatalf("with every replica down a read went to %s", rep.Name)
	}
}

func TestFallBack(t *testing.T) {
	r := routerOf()
	bg := context.Background()
	cases := []struct {
		name          string
		err           error
		primary, down bool
	}{
		{"the statement's own error", &pq.Error{Code: "42P01"}, false, false},
		{"statement timeout", &pq.Error{Code: "57014"}, false, false},
		{"a statement that writes", &pq.Error{Code: "25006"}, true, false},
		{"conflict with recovery", &pq.Error{Code: "40001"}, true, false},
		{"shutdown", &pq.Error{Code: "57P01"}, true, true},
		{"starting up", &pq.Error{Code: "57P03"}, true, true},
		{"connection failure", &pq.Error{Code: "08006"}, true, true},
		{"connection lost", io.ErrUnexpectedEOF, true, true},
	}
	for _, c := range cases {
		rep := replicaAt("a", true, 1)
		if got := r.fallBack(bg, rep, c.err); got != c.primary || rep.up == c.down {
			t.Errorf("%s: to the primary %v (want %v), replica up %v (want %v)", c.name, got, c.primary, rep.up, !c.down)
		}
	}
	canceled, cancel := context.WithCancel(bg)
	cancel()
	rep := replicaAt("a", true, 1)
	if r.fallBack(canceled, rep, context.Canceled) || !rep.up {
		t.Error("a request that gave up was retried on the primary or took the replica down")
	}
	// Failures in a row wait longer, up to the cap.
	rep = replicaAt("a", true, 1)
	var last time.Duration
	for range 12 {
		r.fallBack(bg, rep, io.EOF)
		wait := time.Until(rep.retryAt)
		if wait+10*time.Millisecond < last || wait > maxReplicaBackoff {
			t.Fatalf("after %d failures the wait is %v (before: %v)", rep.failures, wait, last)
		}
		last = wait
	}
	if last < maxReplicaBackoff/2 {
		t.Fatalf("after 12 failures the wait is only %v", last)
	}
}

func TestParseLSN(t *testing.T) {
	for _, s := range []string{"0/0", "16/B374D848", "FFFFFFFF/FFFFFFFF"} {
		l, err := ParseLSN(s)
		if err != nil || l.String() != s {
			t.Errorf("%s: %v %v", s, l, err)
		}
	}
	if a, _ := ParseLSN("1/0"); a <= LSN(0xFFFFFFFF) {
		t.Error("1/0 is not after 0/FFFFFFFF")
	}
	for _, s := range []string{"", "16", "x/1", "1/", "1/100000000"} {
		if _, err := ParseLSN(s); err == nil {
			t.Errorf("%q was read as a WAL position", s)
		}
	}
}

// fakeRows is a result whose first Next fails with err (nil: it has n rows).
type fakeRows struct {
	entsql.ColumnScanner
	n, read int
	err     error
	closed  bool
}

func (f *fakeRows) Next() bool {
	if f.err != nil || f.read >= f.n {
		return false
	}
	f.read++
	return true
}
func (f *fakeRows) Err() error                                 { return f.err }
func (f *fakeRows) Close() error                               { f.closed = true; return nil }
func (f *fakeRows) ColumnTypes() ([]*stdsql.ColumnType, error) { return nil, nil }

func TestFailoverRows(t *testing.T) {
	broken := &fakeRows{err: io.ErrUnexpectedEOF}
	again := &fakeRows{n: 2}
	ran := 0
	rows := &failoverRows{ColumnScanner: broken, failed: func(error) bool { return true },
		again: func() (entsql.ColumnScanner, error) { ran++; return again, nil }}
	n := 0
	for rows.Next() {
		n++
	}
	if n != 2 || ran != 1 || rows.Err() != nil || !broken.closed {
		t.Fatalf("a replica that failed before its first row: %d rows, query run again %d times, err %v, closed %v", n, ran, rows.Err(), broken.closed)
	}

	// An error the primary would give too is the answer.
	own := errors.New("the statement's own error")
	rows = &failoverRows{ColumnScanner: &fakeRows{err: own}, failed: func(error) bool { return false },
		again: func() (entsql.ColumnScanner, error) { t.Fatal("run again"); return nil, nil }}
	if rows.Next() || rows.Err() != own {
		t.Fatalf("the statement's own error: %v", rows.Err())
	}
}
