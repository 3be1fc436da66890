package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
	"yanzhen/roster"
)

// faultProxy forwards TCP connections from a loopback port to PostgreSQL.
// cut closes every connection and refuses new ones, as a stopped database
// does; restore accepts again on the same port. The shared PostgreSQL
// cluster itself is never touched: other tests run against it.
type faultProxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	down  bool
}

func startProxy(t *testing.T, target string) *faultProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, target: target, addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
	p.ln = ln
	go p.accept(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *faultProxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *faultProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *faultProxy) forward(client net.Conn) {
	if !p.track(client) {
		return
	}
	server, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(server) {
		client.Close()
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	client.Close()
	server.Close()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

func (p *faultProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *faultProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		p.t.Errorf("re-opening the proxy on %s: %v", p.addr, err)
		return
	}
	p.ln, p.down = ln, false
	go p.accept(ln)
}

// writeOutcome is what one createPerson request got.
// TestDatabaseOutage runs mutations from a few goroutines, cuts the
// connection to PostgreSQL midway and restores it, and checks that requests
// fail fast with a coded error while it is cut, that /readyz says so, that
// the server recovers by itself, and that every acknowledged write is in
// the database.
func TestDatabaseOutage(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL is not set")
	}
	direct := dbtest.OpenPostgres(t) // a fresh schema, migrated; reached without the proxy
	u, err := url.Parse(direct.URL)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Skipf("the proxy only forwards to loopback addresses, and TEST_DATABASE_URL names %s", u.Hostname())
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	proxy := startProxy(t, target)
	u.Host = proxy.addr

	// Every failed request logs an error; keep them out of the test output.
	logs := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	ctx := context.Background()
	db, err := database.Open(ctx, u.String(), database.Options{StatementTimeout: 5 * time.Second, Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := testConfig()
	cfg.RequestTimeout = 30 * time.Second // failing fast must not mean timing out
	srv := httptest.NewServer(asAdmin(t, db, NewRouter(cfg, db)))
	defer srv.Close()
	client := &http.Client{Timeout: 40 * time.Second}

	create := func(name string) writeOutcome { return createPersonOnce(client, srv.URL, name) }
	ready := func() (int, time.Duration) { return readiness(t, client, srv.URL) }

	// The load: a few writers, each at most 400 mutations, until told to stop.
	const writers, perWriter = 4, 400
	var (
		mu       sync.Mutex
		outcomes []writeOutcome
		acks     atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for w := range writers {
		wg.Go(func() {
			for i := 0; i < perWriter && !stop.Load(); i++ {
				o := create(fmt.Sprintf("故障测试%d-%d", w, i))
				if o.acked {
					acks.Add(1)
				}
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
				if o.acked {
					time.Sleep(5 * time.Millisecond)
				} else {
					time.Sleep(25 * time.Millisecond) // as a client backs off
				}
			}
		})
	}
	defer func() { stop.Store(true); wg.Wait() }()
	waitFor := func(what string, limit time.Duration, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within %v", what, limit)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	waitFor("writes before the outage", 10*time.Second, func() bool { return acks.Load() >= 40 })
	proxy.cut()
	cutAt := time.Now()

	// While the database is away.
	time.Sleep(1500 * time.Millisecond)
	status, took := ready()
	if status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the database is down: %d", status)
	}
	t.Logf("/readyz while down: %d in %v", status, took.Round(time.Millisecond))
	q := send(t, srv.URL, "POST", "application/json", "", body(`{ people { totalCount } }`, nil), false)
	if q.code() != "INTERNAL" || !strings.Contains(q.Errors[0].Message, "database is unavailable") {
		t.Errorf("a query while the database is down: %s", q.raw)
	}

	// An anonymous request skips the session lookup: the GraphQL layer
	// meets the outage itself.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(body(`{ regions { totalCount } }`, nil)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "None")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	anon := gqlReply{status: resp.StatusCode, raw: readAll(resp)}
	json.Unmarshal([]byte(anon.raw), &anon)
	if anon.code() != "INTERNAL" || !strings.Contains(anon.Errors[0].Message, "database is unavailable") || time.Since(start) > 3*time.Second {
		t.Errorf("an anonymous query while the database is down: %s after %v", anon.raw, time.Since(start))
	}

	proxy.restore()
	restoredAt := time.Now()
	waitFor("/readyz after the database returned", 15*time.Second, func() bool { s, _ := ready(); return s == 200 })
	t.Logf("ready again %v after the restore", time.Since(restoredAt).Round(time.Millisecond))
	ackedBefore := acks.Load()
	waitFor("mutations after the database returned", 15*time.Second, func() bool { return acks.Load() >= ackedBefore+20 })
	stop.Store(true)
	wg.Wait()

	var acked []string
	var down, downSlow, downAcked, uncoded int
	var downMax time.Duration
	for _, o := range outcomes {
		if o.acked {
			acked = append(acked, o.name)
		} else if o.code == "" {
			uncoded++
			t.Errorf("a failure without extensions.code: %d %q", o.status, o.msg)
		}
		for _, leak := range []string{"127.0.0.1", "dial", "INSERT", "SELECT", "pq:", "transaction"} {
			if strings.Contains(o.msg, leak) {
				t.Errorf("an error message shows %q: %q", leak, o.msg)
			}
		}
		// Requests that began and ended while the proxy was cut.
		if o.start.After(cutAt.Add(100*time.Millisecond)) && o.end.Before(restoredAt) {
			down++
			took := o.end.Sub(o.start)
			downMax = max(downMax, took)
			switch {
			case o.acked:
				downAcked++
			case o.code != "INTERNAL" || !strings.Contains(o.msg, "database is unavailable"):
				t.Errorf("during the outage: %s %q", o.code, o.msg)
			}
			if took > 3*time.Second {
				downSlow++
			}
		}
	}
	t.Logf("%d mutations: %d acknowledged; %d during the outage, slowest %v", len(outcomes), len(acked), down, downMax.Round(time.Millisecond))
	if down < writers {
		t.Errorf("only %d requests ran during the outage", down)
	}
	if downAcked > 0 || downSlow > 0 {
		t.Errorf("during the outage %d requests were acknowledged and %d took more than 3s", downAcked, downSlow)
	}

	// No acknowledged write was lost (read without the proxy).
	stored := map[string]bool{}
	for _, p := range direct.Client.Person.Query().Where(person.NameHasPrefix("故障测试")).AllX(auth.System(ctx)) {
		stored[p.Name] = true
	}
	lost := 0
	for _, n := range acked {
		if !stored[n] {
			lost++
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged writes are not in the database", lost, len(acked))
	}
	t.Logf("all %d acknowledged writes are stored (%d rows in all)", len(acked), len(stored))
	if !strings.Contains(logs.String(), "level=ERROR") {
		t.Error("the failures were not logged")
	}
}

// cancelDuringWrite wraps an ent driver and cancels the import's context
// once `after` INSERT statements have run inside a transaction: the
// roster is then half-written, as when the process is killed.
type cancelDuringWrite struct {
	dialect.Driver
	after   int64
	inserts *atomic.Int64
	cancel  context.CancelFunc
}

func (d cancelDuringWrite) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return cancelTx{tx, d}, nil
}

type cancelTx struct {
	dialect.Tx
	d cancelDuringWrite
}

func (t cancelTx) seen(query string, err error) error {
	if err == nil && strings.HasPrefix(strings.TrimSpace(query), "INSERT") && t.d.inserts.Add(1) == t.d.after {
		t.d.cancel()
	}
	return err
}

func (t cancelTx) Exec(ctx context.Context, query string, args, v any) error {
	return t.seen(query, t.Tx.Exec(ctx, query, args, v))
}

func (t cancelTx) Query(ctx context.Context, query string, args, v any) error {
	return t.seen(query, t.Tx.Query(ctx, query, args, v))
}

// TestKilledImportWritesNothing cancels an import of 5,000 people after two
// batches of them are inserted: the transaction must leave nothing behind.
func TestKilledImportWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		parent := 0
		for _, r := range []struct {
			code, name string
			level      region.Level
		}{
			{"15", "内蒙古自治区", region.LevelPROVINCE}, {"1502", "包头市", region.LevelCITY},
			{"150221", "土默特右旗", region.LevelCOUNTY}, {"150221105", "萨拉齐镇", region.LevelTOWNSHIP},
			{"150221105220", "萨拉齐镇第一村", region.LevelVILLAGE},
		} {
			b := db.Client.Region.Create().SetCode(r.code).SetName(r.name).SetLevel(r.level)
			if parent != 0 {
				b.SetParentID(parent)
			}
			parent = b.SaveX(ctx).ID
		}
		const n = 5000
		people := &roster.Sheet{Name: "人员", Header: []string{"人员编号", "姓名", "所在村代码"}}
		for i := range n {
			people.Rows = append(people.Rows, roster.Row{Line: i + 2,
				Cells: []string{fmt.Sprintf("K%05d", i), fmt.Sprintf("导入中断%d", i), "150221105220"}})
		}
		wb := &roster.Workbook{Sheets: []*roster.Sheet{people}}

		var inserts atomic.Int64
		importCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		killing, err := database.Open(ctx, db.URL, database.Options{Keys: dbtest.TestKeys, WrapDriver: func(d dialect.Driver) dialect.Driver {
			return cancelDuringWrite{Driver: d, after: 2, inserts: &inserts, cancel: cancel}
		}})
		if err != nil {
			t.Fatal(err)
		}
		defer killing.Close()
		rep, err := roster.Import(importCtx, killing, wb, roster.ImportOptions{})
		if err == nil || !errors.Is(err, context.Canceled) {
			t.Fatalf("the cancelled import returned %v", err)
		}
		if rep != nil && rep.Written {
			t.Fatal("the report says the roster was written")
		}
		if got := inserts.Load(); got < 2 {
			t.Fatalf("cancelled after %d INSERTs: not mid-write", got)
		}
		if c := db.Client.Person.Query().CountX(ctx); c != 0 {
			t.Fatalf("%d people were left behind by the cancelled import", c)
		}
		t.Logf("%s: cancelled after %d INSERT batches; nothing written", db.Dialect, inserts.Load())

		// The same workbook imports in full when left alone.
		if _, err := roster.Import(ctx, db.DB, wb, roster.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if c := db.Client.Person.Query().CountX(ctx); c != n {
			t.Fatalf("the full import wrote %d people, want %d", c, n)
		}
	})
}
