package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/graph"
)

// testClock is a session cache's clock that moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// process is one server process on the shared database: its own router,
// session cache (on its own clock), login limiter and APQ cache.
type process struct {
	url      string
	clock    *testClock
	sessions *accounts.Sessions
}

// startProcess starts a process with its own connections to db, as a
// second `yanzhen serve` would have.
func startProcess(t *testing.T, db *dbtest.DB, change func(*Config)) *process {
	t.Helper()
	own, err := database.Open(context.Background(), db.URL, database.Options{Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { own.Close() })
	return startProcessOn(t, own, change)
}

// startProcessOn starts a process on the connections of db (to count its
// statements).
func startProcessOn(t *testing.T, db *database.DB, change func(*Config)) *process {
	t.Helper()
	p := &process{clock: &testClock{t: time.Now()}}
	p.sessions = &accounts.Sessions{TTL: 30 * time.Second, EpochCheck: time.Second, Now: p.clock.Now}
	cfg := testConfig()
	cfg.sessions = p.sessions
	cfg.loginLimiter = auth.NewRateLimiter(time.Millisecond, 100)
	if change != nil {
		change(&cfg)
	}
	srv := httptest.NewServer(NewRouter(cfg, db))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// me is the username the token stands for in p ("" when anonymous).
func (p *process) me(t *testing.T, token string) string {
	t.Helper()
	r := gql(t, p.url, token, `{ me { username } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("me: %+v", r.Errors)
	}
	var out struct{ Username string }
	json.Unmarshal(r.Data["me"], &out)
	return out.Username
}

func (p *process) userID(t *testing.T, token string) string {
	t.Helper()
	var out struct{ ID string }
	json.Unmarshal(gql(t, p.url, token, `{ me { id } }`, nil).Data["me"], &out)
	return out.ID
}

func twoAdmins(t *testing.T, db *dbtest.DB) {
	t.Helper()
	ctx := auth.System(context.Background())
	for _, name := range []string{"wang", "zhao"} {
		if _, _, err := accounts.CreateUser(ctx, db.Client, accounts.NewUser{Username: name, Password: "correct horse battery", Role: auth.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
	}
}

// A known token costs no statement: the second request within the cache's
// lifetime reads neither sessions nor users nor the epoch.
func TestCachedSessionCostsNoStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		twoAdmins(t, db)
		p := startProcessOn(t, db.DB, nil)
		token := loginToken(t, p.url, "wang", "correct horse battery")
		cost := func() int64 {
			db.Statements.Reset()
			if r := gql(t, p.url, token, `{ __typename }`, nil); len(r.Errors) > 0 {
				t.Fatalf("%+v", r.Errors)
			}
			return db.Statements.Count()
		}
		p.clock.Add(2 * time.Second) // the epoch is due
		if first := cost(); first < 2 {
			t.Fatalf("the first request cost %d statements: the session was not read", first)
		}
		if second := cost(); second != 0 {
			t.Fatalf("the second request cost %d statements, want 0", second)
		}
		if p.me(t, token) != "wang" {
			t.Fatal("the cached session lost its user")
		}
		p.clock.Add(31 * time.Second) // past the cache's lifetime: read again
		if n := cost(); n < 2 {
			t.Fatalf("after the TTL the request cost %d statements: the cache kept the session too long", n)
		}
		// Without a token, no statement at all (no epoch either).
		db.Statements.Reset()
		gql(t, p.url, "", `{ __typename }`, nil)
		if n := db.Statements.Count(); n != 0 {
			t.Fatalf("an anonymous request cost %d statements", n)
		}
	})
}

// Logout, revocation, disabling and a new password in process A end the
// token in A at once and in B once B's epoch check is due (EpochCheck, 1 s
// here, on B's own clock), though B had the session cached.
func TestSignInChangesReachOtherProcesses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		twoAdmins(t, db)
		a, b := startProcess(t, db, nil), startProcess(t, db, nil)
		admin := loginToken(t, a.url, "wang", "correct horse battery")
		zhaoID := a.userID(t, loginToken(t, a.url, "zhao", "correct horse battery"))
		changes := []struct {
			name   string
			change func(token string) gqlResult
		}{
			{"logout", func(token string) gqlResult { return gql(t, a.url, token, `mutation { logout }`, nil) }},
			{"revokeSessions", func(string) gqlResult {
				return gql(t, a.url, admin, `mutation($id: ID!) { revokeSessions(userID: $id) }`, map[string]any{"id": zhaoID})
			}},
			{"password", func(string) gqlResult {
				return gql(t, a.url, admin, `mutation($id: ID!) { updateUser(id: $id, input: {password: "another horse battery"}) { id } }`, map[string]any{"id": zhaoID})
			}},
			{"disabled", func(string) gqlResult {
				return gql(t, a.url, admin, `mutation($id: ID!) { updateUser(id: $id, input: {disabled: true}) { id } }`, map[string]any{"id": zhaoID})
			}},
		}
		password := "correct horse battery"
		for _, c := range changes {
			token := loginToken(t, b.url, "zhao", password)
			if a.me(t, token) != "zhao" || b.me(t, token) != "zhao" {
				t.Fatalf("%s: the fresh token is not zhao's", c.name)
			}
			if r := c.change(token); len(r.Errors) > 0 {
				t.Fatalf("%s: %+v", c.name, r.Errors)
			}
			if who := a.me(t, token); who != "" {
				t.Fatalf("%s: process A still knows the token as %q", c.name, who)
			}
			// B's cache is still within its epoch check: the documented
			// window. Once it is due, B reads the epoch and refuses.
			b.clock.Add(time.Second)
			if who := b.me(t, token); who != "" {
				t.Fatalf("%s: process B still knows the token as %q after its epoch check", c.name, who)
			}
			if c.name == "password" {
				password = "another horse battery"
			}
		}
	})
}

// A change made in the process itself is seen at once, with no clock moving:
// the cache is emptied at the change, and nothing read while the change was
// uncommitted is kept.
func TestSignInChangeInTheSameProcessIsImmediate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		twoAdmins(t, db)
		p := startProcess(t, db, nil)
		admin := loginToken(t, p.url, "wang", "correct horse battery")
		token := loginToken(t, p.url, "zhao", "correct horse battery")
		id := p.userID(t, token)
		if p.me(t, token) != "zhao" {
			t.Fatal("not cached as zhao")
		}
		if r := gql(t, p.url, admin, `mutation($id: ID!) { updateUser(id: $id, input: {disabled: true}) { id } }`, map[string]any{"id": id}); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		if who := p.me(t, token); who != "" {
			t.Fatalf("the disabled account's token still reads as %q", who)
		}
		if hits, _ := p.sessions.Stats(); hits == 0 {
			t.Fatal("the cache was never used")
		}
	})
}

// The account lockout is counted in the database: failures spread over two
// processes lock the account in both.
func TestLockoutHoldsAcrossProcesses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		twoAdmins(t, db)
		a, b := startProcess(t, db, nil), startProcess(t, db, nil)
		for i := range accounts.DefaultMaxFailedLogins {
			p := a
			if i%2 == 1 {
				p = b
			}
			if r := gql(t, p.url, "", loginMutation, map[string]any{"u": "wang", "p": "wrong"}); r.code() != "UNAUTHENTICATED" {
				t.Fatalf("failure %d: %+v", i, r)
			}
		}
		for _, p := range []*process{a, b} {
			if r := gql(t, p.url, "", loginMutation, map[string]any{"u": "wang", "p": "correct horse battery"}); r.code() != "UNAUTHENTICATED" {
				t.Fatalf("the locked account signed in: %+v", r)
			}
		}
	})
}

// The login limit per address and the search limit per account are one
// budget for all processes: attempts spread over two processes are
// refused once the budget is spent, in both.
func TestRateLimitsHoldAcrossProcesses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		twoAdmins(t, db)
		shared := func(c *Config) { c.loginLimiter = nil }
		a, b := startProcess(t, db, shared), startProcess(t, db, shared)
		token := loginToken(t, a.url, "wang", "correct horse battery")
		for i := range accounts.LoginBurst - 1 {
			p := []*process{a, b}[i%2]
			if r := gql(t, p.url, "", loginMutation, map[string]any{"u": fmt.Sprintf("nobody%d", i), "p": "wrong"}); r.code() != "UNAUTHENTICATED" {
				t.Fatalf("attempt %d: %+v", i, r)
			}
		}
		for _, p := range []*process{b, a} {
			if r := gql(t, p.url, "", loginMutation, map[string]any{"u": "zhao", "p": "correct horse battery"}); r.code() != "TOO_MANY_REQUESTS" {
				t.Fatalf("an address past its login budget was let in: %+v", r)
			}
		}

		search := `query($q: String!) { search(query: $q) { __typename } }`
		for i := range graph.SearchBurst {
			p := []*process{a, b}[i%2]
			if r := gql(t, p.url, token, search, map[string]any{"q": "张"}); len(r.Errors) > 0 {
				t.Fatalf("search %d: %+v", i, r.Errors)
			}
		}
		for _, p := range []*process{a, b} {
			if r := gql(t, p.url, token, search, map[string]any{"q": "张"}); r.code() != "TOO_MANY_REQUESTS" {
				t.Fatalf("an account past its search budget searched on: %+v", r)
			}
		}
	})
}

// apq sends an automatic persisted query: the hash, and the text unless "".
func apq(t *testing.T, url, token, query, hash string) gqlResult {
	t.Helper()
	req := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		req["query"] = query
	}
	body, _ := json.Marshal(req)
	r, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResult
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func sha(q string) string { s := sha256.Sum256([]byte(q)); return hex.EncodeToString(s[:]) }

func notFound(r gqlResult) bool {
	return len(r.Errors) == 1 && strings.Contains(r.Errors[0].Message, "PersistedQueryNotFound")
}

// Persisted queries live in each process's memory: a process that never
// saw a hash answers PersistedQueryNotFound, the client sends the text once
// more, and from then on the hash alone works there too. Nothing needs to
// be shared.
func TestPersistedQueriesOnTwoProcesses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		twoAdmins(t, db)
		a, b := startProcess(t, db, nil), startProcess(t, db, nil)
		token := loginToken(t, a.url, "wang", "correct horse battery")
		q := `query Me { me { username } }`
		h := sha(q)
		if r := apq(t, a.url, token, "", h); !notFound(r) {
			t.Fatalf("an unknown hash: %+v", r)
		}
		for _, p := range []*process{a, b} {
			if r := apq(t, p.url, token, q, h); len(r.Errors) > 0 || !strings.Contains(string(r.Data["me"]), "wang") {
				t.Fatalf("hash and text: %+v", r)
			}
			if r := apq(t, p.url, token, "", h); len(r.Errors) > 0 || !strings.Contains(string(r.Data["me"]), "wang") {
				t.Fatalf("the hash alone, once known: %+v", r)
			}
		}
		c := startProcess(t, db, nil) // a third process, started later
		if r := apq(t, c.url, token, "", h); !notFound(r) {
			t.Fatalf("a process that never saw the hash: %+v", r)
		}
		if r := apq(t, c.url, token, q, h); len(r.Errors) > 0 {
			t.Fatalf("the client's resend: %+v", r)
		}
		if r := apq(t, a.url, token, `{ me { id } }`, h); len(r.Errors) == 0 {
			t.Fatal("a text that does not match its hash was run")
		}
	})
}

// The request limits hold for persisted queries: a query too deep is
// refused with its text and again by its hash alone.
func TestPersistedQueriesKeepTheLimits(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	twoAdmins(t, db)
	p := startProcess(t, db, func(c *Config) { c.MaxDepth = 2 })
	token := loginToken(t, p.url, "wang", "correct horse battery")
	q := `{ me { institution { region { name } } } }`
	for _, hashOnly := range []bool{false, true} {
		text := q
		if hashOnly {
			text = ""
		}
		r := apq(t, p.url, token, text, sha(q))
		if len(r.Errors) == 0 || notFound(r) || r.Data["me"] != nil {
			t.Fatalf("hash only %v: a query deeper than the limit ran: %+v", hashOnly, r)
		}
	}
}
