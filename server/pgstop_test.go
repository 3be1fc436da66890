//go:build unix

package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
)

// privatePostgres is a throwaway PostgreSQL server of this test alone: its
// own data directory and loopback port, so it can be stopped and started
// while other tests keep using the shared cluster.
type privatePostgres struct {
	t    *testing.T
	bin  string // directory of initdb and pg_ctl
	dir  string // holds the data directory, the socket and the log
	port int
	// owner, when set, is the OS user the commands run as: PostgreSQL
	// refuses to run as root.
	owner *syscall.Credential
}

// postgresBinDir finds initdb and pg_ctl: pg_config's answer first, then
// the newest of Debian's /usr/lib/postgresql/N/bin.
func postgresBinDir() string {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
		return true
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); has(dir) {
			return dir
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(dir string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		return v
	}
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, dir := range dirs {
		if has(dir) {
			return dir
		}
	}
	return ""
}

// startPrivatePostgres initialises a cluster in a new temporary directory
// and starts it on a free loopback port, or skips the test when it cannot.
// The server is stopped and the directory removed when the test ends,
// whether it passed or not.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	pg := newPrivatePostgres(t, "yanzhen-pgstop-")
	// -N: no fsync of the fresh cluster, which only this test uses; the
	// server itself runs with the default fsync and synchronous_commit, so
	// an acknowledged commit is on disk as in production.
	pg.run("initdb", "-D", pg.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-N")
	pg.start()
	return pg
}

// newPrivatePostgres prepares what a private server needs — the binaries,
// the OS user, a directory the server's owner may use, a free port — and
// arranges its stop and the removal of the directory when the test ends;
// the caller creates the data directory and starts the server.
func newPrivatePostgres(t *testing.T, prefix string) *privatePostgres {
	t.Helper()
	bin := postgresBinDir()
	if bin == "" {
		t.Skip("the PostgreSQL server binaries (initdb, pg_ctl) are not installed: neither pg_config --bindir nor /usr/lib/postgresql/*/bin has them")
	}
	pg := &privatePostgres{t: t, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root, and there is no postgres OS user to run PostgreSQL as (it refuses to run as root)")
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		pg.owner = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}

	// Not t.TempDir: its parent is private to root, and the postgres user
	// must reach the directory.
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if pg.owner != nil {
		if err := os.Chown(dir, int(pg.owner.Uid), int(pg.owner.Gid)); err != nil {
			t.Fatalf("handing %s to the postgres user: %v", dir, err)
		}
	}
	pg.dir = dir

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pg.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	t.Cleanup(func() {
		// Fast stop even when the test failed midway (or the start timed
		// out); a server already stopped makes pg_ctl complain, which does
		// not matter here. Runs before the directory is removed.
		pg.output("pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "stop")
	})
	return pg
}

func (pg *privatePostgres) data() string { return filepath.Join(pg.dir, "data") }

// URL reaches the private server over TCP on loopback.
func (pg *privatePostgres) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

// output runs one of the PostgreSQL programs as the server's owner, bounded
// in time, and returns what it printed.
func (pg *privatePostgres) output(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(pg.bin, name), args...)
	cmd.Dir = pg.dir // the test's own directory may be closed to the postgres user
	if pg.owner != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.owner}
	}
	// Settings meant for the shared cluster (PGDATA, PGPORT…) must not
	// reach the private one.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd.CombinedOutput()
}

func (pg *privatePostgres) run(name string, args ...string) {
	pg.t.Helper()
	if out, err := pg.output(name, args...); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "server.log"))
		pg.t.Fatalf("%s %s: %v\n%s\nserver log:\n%s", name, strings.Join(args, " "), err, out, log)
	}
}

// start starts the server and waits until it accepts connections.
func (pg *privatePostgres) start() {
	pg.t.Helper()
	// pg_ctl hands these to a shell: quote the directory (TMPDIR may hold spaces).
	opts := fmt.Sprintf("-p %d -k '%s' -c listen_addresses=127.0.0.1", pg.port, pg.dir)
	pg.run("pg_ctl", "-D", pg.data(), "-l", filepath.Join(pg.dir, "server.log"), "-o", opts, "-w", "-t", "30", "start")
}

// stop shuts the server down as an operator would: open sessions are
// terminated, open transactions rolled back, committed ones kept.
func (pg *privatePostgres) stop() {
	pg.t.Helper()
	pg.run("pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "-t", "30", "stop")
}

// writeOutcome is what one createPerson request got.
// TestPostgresStop stops a real PostgreSQL server under a load of
// mutations and starts it again. While it is down, requests must fail fast
// with a coded error and /readyz must say so; once it is back, the server
// must recover by itself; and every write it acknowledged must be in the
// database. TestDatabaseOutage covers the same ground by cutting the
// network to the shared cluster; this one stops the server itself, so
// sessions end with PostgreSQL's own shutdown errors and the restart
// replays its log.
func TestPostgresStop(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL is not set: PostgreSQL tests run only in the full suite")
	}
	pg := startPrivatePostgres(t)

	// Every failed request logs an error; keep them out of the test output.
	logs := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	ctx := context.Background()
	// PostgreSQL holds ID numbers encrypted under the data key.
	db, err := database.Open(ctx, pg.URL(), database.Options{StatementTimeout: 5 * time.Second, Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.RequestTimeout = 30 * time.Second // failing fast must not mean timing out
	srv := httptest.NewServer(asAdmin(t, db, NewRouter(cfg, db)))
	defer srv.Close()
	client := &http.Client{Timeout: 40 * time.Second}

	create := func(name string) writeOutcome { return createPersonOnce(client, srv.URL, name) }
	ready := func() (int, time.Duration) { return readiness(t, client, srv.URL) }
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

	// The load: a few writers, each at most 400 mutations, until told to
	// stop; with the waits below that is a few seconds of loopback traffic.
	const writers, perWriter = 4, 400
	var (
		mu       sync.Mutex
		outcomes []writeOutcome
		acks     atomic.Int64
		halt     atomic.Bool
		wg       sync.WaitGroup
	)
	for w := range writers {
		wg.Go(func() {
			for i := 0; i < perWriter && !halt.Load(); i++ {
				o := create(fmt.Sprintf("停库测试%d-%d", w, i))
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
	defer func() { halt.Store(true); wg.Wait() }()

	waitFor("writes before the stop", 10*time.Second, func() bool { return acks.Load() >= 40 })
	stopping := time.Now()
	pg.stop() // mid-load: the writers keep going
	stoppedAt := time.Now()
	t.Logf("pg_ctl -m fast stop took %v with %d writes acknowledged", stoppedAt.Sub(stopping).Round(time.Millisecond), acks.Load())

	// While the server is down.
	time.Sleep(1500 * time.Millisecond)
	status, took := ready()
	if status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while PostgreSQL is stopped: %d", status)
	}
	t.Logf("/readyz while stopped: %d in %v", status, took.Round(time.Millisecond))

	startAt := time.Now()
	pg.start()
	startedAt := time.Now()
	t.Logf("pg_ctl start took %v", startedAt.Sub(startAt).Round(time.Millisecond))
	waitFor("/readyz after PostgreSQL started again", 15*time.Second, func() bool { s, _ := ready(); return s == http.StatusOK })
	readyAfter := time.Since(startedAt)
	ackedBefore := acks.Load()
	waitFor("mutations after PostgreSQL started again", 15*time.Second, func() bool { return acks.Load() >= ackedBefore+20 })
	halt.Store(true)
	wg.Wait()

	var acked []string
	var down, downSlow, downAcked, inFlight, inFlightFailed, cutOff int
	var downMax, downTotal time.Duration
	firstAckAfter := time.Duration(-1)
	for _, o := range outcomes {
		if o.acked {
			acked = append(acked, o.name)
			if o.start.After(startedAt) && (firstAckAfter < 0 || o.end.Sub(startedAt) < firstAckAfter) {
				firstAckAfter = o.end.Sub(startedAt)
			}
		} else {
			// Requests cut off while the server was shutting down may fail
			// too, but every failure, whenever it happened, says that the
			// database is unavailable and nothing more.
			if o.code != "INTERNAL" || !strings.Contains(o.msg, "database is unavailable") {
				t.Errorf("a failed mutation (%d, started %v after the stop began): %s %q",
					o.status, o.start.Sub(stopping).Round(time.Millisecond), o.code, o.msg)
			}
		}
		for _, leak := range []string{"127.0.0.1", "dial", "INSERT", "SELECT", "pq:", "transaction", "terminating", "shutting down"} {
			if strings.Contains(o.msg, leak) {
				t.Errorf("an error message shows %q: %q", leak, o.msg)
			}
		}
		// Requests under way while pg_ctl was stopping the server.
		if o.start.Before(stoppedAt) && o.end.After(stopping) {
			inFlight++
			if !o.acked {
				inFlightFailed++
				if o.start.Before(stopping) {
					cutOff++ // its session was open when the stop began
				}
			}
		}
		// Requests that began after the server had stopped and ended
		// before it was started again.
		if o.start.After(stoppedAt) && o.end.Before(startAt) {
			down++
			d := o.end.Sub(o.start)
			downMax = max(downMax, d)
			downTotal += d
			if o.acked {
				downAcked++
			}
			if d > 2*time.Second {
				downSlow++
			}
		}
	}
	if down < writers {
		t.Fatalf("only %d requests ran while PostgreSQL was stopped", down)
	}
	t.Logf("%d mutations: %d acknowledged; %d while stopped, failing in %v on average, %v at most (request timeout %v)",
		len(outcomes), len(acked), down, (downTotal / time.Duration(down)).Round(time.Millisecond), downMax.Round(time.Millisecond), cfg.RequestTimeout)
	t.Logf("%d requests under way during the stop: %d failed, %d of them begun before it", inFlight, inFlightFailed, cutOff)
	t.Logf("recovery: /readyz 200 %v and the first mutation acknowledged %v after pg_ctl start returned",
		readyAfter.Round(time.Millisecond), firstAckAfter.Round(time.Millisecond))
	if downAcked > 0 || downSlow > 0 {
		t.Errorf("while stopped %d requests were acknowledged and %d took more than 2s", downAcked, downSlow)
	}

	// No acknowledged write was lost, read over a connection of its own.
	check, err := database.Open(ctx, pg.URL(), database.Options{Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	stored := map[string]bool{}
	for _, p := range check.Client.Person.Query().Where(person.NameHasPrefix("停库测试")).AllX(auth.System(ctx)) {
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
	// A commit can succeed just before its session is terminated and the
	// reply lost: stored but not acknowledged, which a client retries.
	t.Logf("all %d acknowledged writes are stored (%d rows in all, %d committed without an acknowledgement)",
		len(acked), len(stored), len(stored)-len(acked))
	serverLog, _ := os.ReadFile(filepath.Join(pg.dir, "server.log"))
	t.Logf("PostgreSQL terminated %d sessions at the stop", strings.Count(string(serverLog), "terminating connection due to administrator command"))
	if !strings.Contains(logs.String(), "level=ERROR") {
		t.Error("the failures were not logged")
	}
}
