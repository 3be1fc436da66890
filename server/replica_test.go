//go:build unix

package main

import (
	"bytes"
	"context"
	stdsql "database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"yanzhen/database"
	"yanzhen/database/dbtest"
)

// startReplica copies primary with pg_basebackup (-R: the copy starts as
// its streaming replica) into a directory of its own, starts it on another
// port and waits until the primary streams to it.
func startReplica(t *testing.T, primary *privatePostgres) *privatePostgres {
	t.Helper()
	if _, err := os.Stat(filepath.Join(postgresBinDir(), "pg_basebackup")); err != nil {
		t.Skip("pg_basebackup is not installed beside initdb and pg_ctl")
	}
	rep := newPrivatePostgres(t, "yanzhen-replica-")
	rep.run("pg_basebackup", "-D", rep.data(), "-R", "-X", "stream", "-c", "fast",
		"-h", "127.0.0.1", "-p", fmt.Sprint(primary.port), "-U", "postgres")
	rep.start()
	waitUntil(t, "the replica streams", 30*time.Second, func() bool {
		var n int
		queryRow(t, primary.URL(), `SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'`, &n)
		return n == 1
	})
	return rep
}

// queryRow runs one statement on the server at url over a connection of
// its own (the test's view, not the server's).
func queryRow(t *testing.T, url, query string, dest ...any) {
	t.Helper()
	db, err := stdsql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.QueryRowContext(ctx, query).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func waitUntil(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// post sends one GraphQL request; it reports failures as an error instead
// of failing the test, so that the load's goroutines can use it.
func postGraphQL(client *http.Client, url, token, query string, vars map[string]any) (gqlResult, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return gqlResult{}, err
	}
	defer resp.Body.Close()
	var out gqlResult
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return out, fmt.Errorf("status %d, not JSON: %v", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		return out, fmt.Errorf("status %d: %+v", resp.StatusCode, out.Errors)
	}
	return out, nil
}

// replicaState is what /readyz says of the one replica.
func replicaState(t *testing.T, url string) (int, database.ReplicaStatus) {
	t.Helper()
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status   string
		Replicas []database.ReplicaStatus
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Replicas) != 1 {
		t.Fatalf("/readyz: %d %+v %v", resp.StatusCode, body, err)
	}
	return resp.StatusCode, body.Replicas[0]
}

// TestReplicaRouting runs the server on a real primary and a streaming
// replica of it (pg_basebackup): the reads of a query go to the replica and
// its writes to the primary; a viewer's read after its own write sees it
// even while the replica's replay is paused; and when the replica is
// stopped under a load of reads, every read is still answered (by the
// primary), /readyz says the replica is down, and it comes back into the
// rotation once started again.
func TestReplicaRouting(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL is not set: PostgreSQL tests run only in the full suite")
	}
	began := time.Now()
	primary := startPrivatePostgres(t)
	t.Logf("primary started in %v", time.Since(began).Round(time.Millisecond))
	ctx := context.Background()
	mig, err := database.Open(ctx, primary.URL(), database.Options{Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mig.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	mig.Close()
	t.Logf("schema migrated at %v", time.Since(began).Round(time.Millisecond))
	replica := startReplica(t, primary)
	t.Logf("replica streaming at %v", time.Since(began).Round(time.Millisecond))

	// A dropped replica logs warnings; keep them out of the test output.
	logs := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() {
		slog.SetDefault(prev)
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})

	db, err := database.Open(ctx, primary.URL(), database.Options{
		Keys: dbtest.TestKeys, StatementTimeout: 5 * time.Second,
		ReplicaURLs: []string{replica.URL()},
		// Longer than the test: a viewer's reads return to the replica
		// because it replayed the write, not because the window ran out.
		ReadYourWrites: time.Minute,
		ReplicaCheck:   50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(NewRouter(testConfig(), db))
	defer srv.Close()
	client := &http.Client{Timeout: 20 * time.Second}
	token := adminToken(t, db)
	served := func() int64 { return db.Replicas.Replicas()[0].Served }

	waitUntil(t, "/readyz reports the replica up", 10*time.Second, func() bool {
		_, s := replicaState(t, srv.URL)
		return s.State == "up"
	})

	t.Run("routing", func(t *testing.T) {
		before, primaryBefore := served(), db.Replicas.PrimaryReads()
		if _, err := postGraphQL(client, srv.URL, token, `{ institutions(first: 3) { totalCount edges { node { id name } } } }`, nil); err != nil {
			t.Fatal(err)
		}
		if served() == before || db.Replicas.PrimaryReads() != primaryBefore {
			t.Fatalf("a query of a viewer who has not written: replica served %d statements, the primary %d",
				served()-before, db.Replicas.PrimaryReads()-primaryBefore)
		}
		// As PostgreSQL sees it: a session of the replica's pool last ran
		// the institutions query there, and none of the primary's did.
		var onReplica, onPrimary int
		queryRow(t, replica.URL(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'yanzhen-replica-1' AND query LIKE '%"institutions"%'`, &onReplica)
		queryRow(t, primary.URL(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'yanzhen-primary' AND query LIKE '%"institutions"%'`, &onPrimary)
		if onReplica == 0 || onPrimary != 0 {
			t.Fatalf("pg_stat_activity: %d sessions of the replica and %d of the primary ran the query", onReplica, onPrimary)
		}

		// The analytics' own SQL (ent's QueryContext) follows the same rule.
		before, primaryBefore = served(), db.Replicas.PrimaryReads()
		if _, err := postGraphQL(client, srv.URL, token, `{ search(query: "王") { kind matchedBy } }`, nil); err != nil {
			t.Fatal(err)
		}
		if served() == before || db.Replicas.PrimaryReads() != primaryBefore {
			t.Fatalf("a search: replica served %d statements, the primary %d",
				served()-before, db.Replicas.PrimaryReads()-primaryBefore)
		}

		// A mutation: every statement on the primary.
		before = served()
		if _, err := postGraphQL(client, srv.URL, token, `mutation($in: CreateInstitutionInput!) { createInstitution(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "副本路由测试单位", "kind": "UNIVERSITY"}}); err != nil {
			t.Fatal(err)
		}
		if served() != before {
			t.Fatalf("the replica served %d statements of a mutation", served()-before)
		}
	})

	t.Run("read your writes", func(t *testing.T) {
		execSQL(t, replica.URL(), `SELECT pg_wal_replay_pause()`)
		waitUntil(t, "the replica's replay pauses", 10*time.Second, func() bool {
			var state string
			queryRow(t, replica.URL(), `SELECT pg_get_wal_replay_pause_state()`, &state)
			return state == "paused"
		})
		const name = "读己之写测试"
		if _, err := postGraphQL(client, srv.URL, token, `mutation($in: CreatePersonInput!) { createPerson(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": name}}); err != nil {
			t.Fatal(err)
		}
		find := `query($n: String!) { people(where: {name: $n}) { totalCount } }`
		count := func(r gqlResult) int {
			var p struct{ TotalCount int }
			json.Unmarshal(r.Data["people"], &p)
			return p.TotalCount
		}
		primaryBefore := db.Replicas.PrimaryReads()
		r, err := postGraphQL(client, srv.URL, token, find, map[string]any{"n": name})
		if err != nil {
			t.Fatal(err)
		}
		if count(r) != 1 || db.Replicas.PrimaryReads() == primaryBefore {
			t.Fatalf("the writer's read right after its write: %d found, %d statements on the primary", count(r), db.Replicas.PrimaryReads()-primaryBefore)
		}
		// The replica has not got it: the read could only be right on the primary.
		var onReplica int
		queryRow(t, replica.URL(), `SELECT count(*) FROM persons WHERE name = '`+name+`'`, &onReplica)
		if onReplica != 0 {
			t.Fatal("the replica replayed the write while paused")
		}
		// Another viewer, who has not written, reads from the replica (and
		// does not see it yet: reads of others are as stale as the replica).
		other := adminToken(t, db)
		before := served()
		if r, err := postGraphQL(client, srv.URL, other, find, map[string]any{"n": name}); err != nil || served() == before || count(r) != 0 {
			t.Fatalf("another viewer's read: %v, replica served %d statements, %d found", err, served()-before, count(r))
		}

		// Once the replica has replayed the write, the writer's reads go
		// back to it, long before the window ends.
		execSQL(t, replica.URL(), `SELECT pg_wal_replay_resume()`)
		waitUntil(t, "the writer's reads return to the replica", 20*time.Second, func() bool {
			before := served()
			r, err := postGraphQL(client, srv.URL, token, find, map[string]any{"n": name})
			if err != nil {
				t.Fatal(err)
			}
			if count(r) != 1 {
				t.Fatalf("the writer's read after the replay resumed: %d found", count(r))
			}
			return served() > before
		})
	})

	t.Run("replica loss under load", func(t *testing.T) {
		var (
			ok       atomic.Int64
			failures []string
			mu       sync.Mutex
			halt     atomic.Bool
			wg       sync.WaitGroup
		)
		for range 4 {
			wg.Go(func() {
				for !halt.Load() {
					_, err := postGraphQL(client, srv.URL, token, `{ people(first: 5) { totalCount edges { node { id name } } } }`, nil)
					if err != nil {
						mu.Lock()
						failures = append(failures, err.Error())
						mu.Unlock()
					} else {
						ok.Add(1)
					}
				}
			})
		}
		defer func() { halt.Store(true); wg.Wait() }()

		waitUntil(t, "the replica serves the load", 10*time.Second, func() bool { return served() > 0 && ok.Load() >= 20 })
		replica.run("pg_ctl", "-D", replica.data(), "-m", "immediate", "-w", "-t", "30", "stop")
		waitUntil(t, "/readyz reports the replica down", 10*time.Second, func() bool {
			status, s := replicaState(t, srv.URL)
			if status != http.StatusOK {
				t.Fatalf("/readyz with the primary up and the replica down: %d", status)
			}
			return s.State == "down"
		})
		primaryBefore, okBefore := db.Replicas.PrimaryReads(), ok.Load()
		waitUntil(t, "the primary serves the load", 10*time.Second, func() bool {
			return ok.Load() >= okBefore+20 && db.Replicas.PrimaryReads() > primaryBefore
		})

		replica.start()
		waitUntil(t, "/readyz reports the replica up again", 20*time.Second, func() bool {
			_, s := replicaState(t, srv.URL)
			return s.State == "up"
		})
		before := served()
		waitUntil(t, "the replica serves the load again", 10*time.Second, func() bool { return served() > before+10 })
		halt.Store(true)
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("%d of %d reads failed while the replica went away and came back; the first: %s",
				len(failures), int(ok.Load())+len(failures), failures[0])
		}
		t.Logf("%d reads, none failed", ok.Load())
	})
}

func execSQL(t *testing.T, url, query string) {
	t.Helper()
	var discard any
	queryRow(t, url, query, &discard)
}

// TestReplicasNeedPostgres: an SQLite primary has no replicas, and says so
// rather than ignoring the setting.
func TestReplicasNeedPostgres(t *testing.T) {
	_, err := database.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "y.db"),
		database.Options{Keys: dbtest.TestKeys, ReplicaURLs: []string{"postgres://replica.example/yanzhen"}})
	if err == nil || !strings.Contains(err.Error(), "YANZHEN_REPLICA_URLS needs a PostgreSQL primary") {
		t.Fatalf("replicas of an SQLite database: %v", err)
	}
}

// The replica settings are read from the environment; a bad one is refused
// naming the variable, and a replica URL never appears in an error (it
// carries a password).
func TestReplicaSettings(t *testing.T) {
	t.Setenv("YANZHEN_REPLICA_URLS", " postgres://u:secret@r1/y , postgres://u:secret@r2/y,")
	t.Setenv("YANZHEN_READ_YOUR_WRITES", "")
	cfg, err := LoadConfig()
	if err != nil || len(cfg.ReplicaURLs) != 2 || cfg.ReplicaURLs[1] != "postgres://u:secret@r2/y" || cfg.ReadYourWrites != database.DefaultReadYourWrites {
		t.Fatalf("%q, %v, %v", cfg.ReplicaURLs, cfg.ReadYourWrites, err)
	}
	for _, bad := range []string{"soon", "0s", "-1s"} {
		t.Setenv("YANZHEN_READ_YOUR_WRITES", bad)
		if _, err := LoadConfig(); err == nil || !strings.Contains(err.Error(), "YANZHEN_READ_YOUR_WRITES") {
			t.Errorf("YANZHEN_READ_YOUR_WRITES=%s: %v", bad, err)
		}
	}
	t.Setenv("YANZHEN_READ_YOUR_WRITES", "2s")
	if cfg, err := LoadConfig(); err != nil || cfg.ReadYourWrites != 2*time.Second {
		t.Fatalf("2s: %v %v", cfg.ReadYourWrites, err)
	}

	if os.Getenv("TEST_DATABASE_URL") == "" {
		return
	}
	for _, u := range []string{"postgres://u:secret@[::1/y", "mysql://u:secret@r1/y"} {
		_, err := database.Open(context.Background(), os.Getenv("TEST_DATABASE_URL"), database.Options{Keys: dbtest.TestKeys, ReplicaURLs: []string{u}})
		if err == nil || !strings.Contains(err.Error(), "YANZHEN_REPLICA_URLS, replica 1") || strings.Contains(err.Error(), "secret") {
			t.Errorf("replica %s: %v", u, err)
		}
	}
}
