package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/region"
	"yanzhen/ent/session"
	"yanzhen/ent/user"
	"yanzhen/graph/relay"
	"yanzhen/pii"
)

// adminToken signs in a new national admin (with personal-data access) and
// returns the bearer token.
func adminToken(t testing.TB, db *database.DB) string {
	t.Helper()
	name := fmt.Sprintf("test-admin-%d", admins.Add(1))
	return tokenFor(t, db, accounts.NewUser{Username: name, Role: auth.RoleAdmin, PersonalData: true})
}

var admins atomic.Int64

func tokenFor(t testing.TB, db *database.DB, in accounts.NewUser) string {
	t.Helper()
	ctx := auth.System(context.Background())
	if in.Password == "" {
		in.Password = "a long enough password"
	}
	if _, _, err := accounts.CreateUser(ctx, db.Client, in); err != nil {
		t.Fatalf("creating %s: %v", in.Username, err)
	}
	res, err := (accounts.Service{}).Login(ctx, db.Client, in.Username, in.Password, "test-"+in.Username)
	if err != nil {
		t.Fatalf("signing in %s: %v", in.Username, err)
	}
	return res.Token
}

// asAdmin wraps a router so that requests without an Authorization header
// carry a national admin's token: for tests about something else than who
// may do what.
func asAdmin(t testing.TB, db *database.DB, h http.Handler) http.Handler {
	token := adminToken(t, db)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		h.ServeHTTP(w, r)
	})
}

type gqlResult struct {
	Data   map[string]json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func (r gqlResult) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func gql(t *testing.T, url, token, query string, vars map[string]any) gqlResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResult
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

const loginMutation = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { username role } } }`

// Sign in, use the token, sign out; a wrong password and an unknown user get
// the same answer; five failures lock the account even for the right
// password; expired and revoked sessions are anonymous.
func TestLoginLogoutLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		if _, _, err := accounts.CreateUser(ctx, db.Client, accounts.NewUser{Username: "wang", Password: "correct horse battery", Role: auth.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		cfg := testConfig()
		cfg.loginLimiter = auth.NewRateLimiter(time.Millisecond, 100) // this test is not about the limit
		srv := httptest.NewServer(NewRouter(cfg, db.DB))
		defer srv.Close()

		if r := gql(t, srv.URL, "", `{ people(first: 1) { totalCount } }`, nil); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous people: %+v", r)
		}
		r := gql(t, srv.URL, "", loginMutation, map[string]any{"u": "wang", "p": "correct horse battery"})
		var login struct {
			Login struct {
				Token     string
				ExpiresAt time.Time
			}
		}
		b, _ := json.Marshal(r.Data)
		json.Unmarshal(b, &login)
		token := login.Login.Token
		if token == "" || time.Until(login.Login.ExpiresAt) < 11*time.Hour {
			t.Fatalf("login: %+v", r)
		}
		// Only the hash is stored.
		n, err := db.Client.Session.Query().Where(session.TokenHash(token)).Count(ctx)
		if err != nil || n != 0 {
			t.Fatalf("the token is stored in clear (%d, %v)", n, err)
		}
		if r := gql(t, srv.URL, token, `{ me { username role } people(first: 1) { totalCount } }`, nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data["me"]), "wang") {
			t.Fatalf("signed in: %+v", r)
		}
		if r := gql(t, srv.URL, token, `mutation { logout }`, nil); len(r.Errors) > 0 {
			t.Fatalf("logout: %+v", r)
		}
		if r := gql(t, srv.URL, token, `{ me { username } }`, nil); string(r.Data["me"]) != "null" {
			t.Fatalf("after logout the token still works: %+v", r)
		}

		wrong := gql(t, srv.URL, "", loginMutation, map[string]any{"u": "wang", "p": "wrong password!"})
		unknown := gql(t, srv.URL, "", loginMutation, map[string]any{"u": "nobody", "p": "wrong password!"})
		if wrong.code() != "UNAUTHENTICATED" || unknown.code() != "UNAUTHENTICATED" || wrong.Errors[0].Message != unknown.Errors[0].Message {
			t.Fatalf("failures differ: %+v / %+v", wrong, unknown)
		}
		for range accounts.DefaultMaxFailedLogins - 1 {
			gql(t, srv.URL, "", loginMutation, map[string]any{"u": "wang", "p": "wrong password!"})
		}
		if r := gql(t, srv.URL, "", loginMutation, map[string]any{"u": "wang", "p": "correct horse battery"}); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("a locked account signed in: %+v", r)
		}
		u := db.Client.User.Query().Where(user.Username("wang")).OnlyX(ctx)
		if u.LockedUntil == nil || time.Until(*u.LockedUntil) < 14*time.Minute {
			t.Fatalf("locked until %v", u.LockedUntil)
		}
		failed, _ := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionLOGIN_FAILED)).Count(ctx)
		if failed < accounts.DefaultMaxFailedLogins {
			t.Fatalf("%d failed logins audited", failed)
		}

		// Expiry and revocation by an admin.
		db.Client.User.UpdateOne(u).ClearLockedUntil().ExecX(ctx)
		token = loginToken(t, srv.URL, "wang", "correct horse battery")
		db.Client.Session.Update().Where(session.UserID(u.ID)).SetExpiresAt(time.Now().Add(-time.Second)).ExecX(ctx)
		if r := gql(t, srv.URL, token, `{ me { username } }`, nil); string(r.Data["me"]) != "null" {
			t.Fatalf("an expired token works: %+v", r)
		}
		token = loginToken(t, srv.URL, "wang", "correct horse battery")
		admin := adminToken(t, db.DB)
		if r := gql(t, srv.URL, admin, `mutation($id: ID!) { revokeSessions(userID: $id) }`, map[string]any{"id": relay.EncodeID(u.ID)}); len(r.Errors) > 0 || string(r.Data["revokeSessions"]) != "1" {
			t.Fatalf("revokeSessions: %+v", r)
		}
		if r := gql(t, srv.URL, token, `{ me { username } }`, nil); string(r.Data["me"]) != "null" {
			t.Fatalf("a revoked token works: %+v", r)
		}
	})
}

func loginToken(t *testing.T, url, name, password string) string {
	t.Helper()
	r := gql(t, url, "", loginMutation, map[string]any{"u": name, "p": password})
	var out struct{ Login struct{ Token string } }
	b, _ := json.Marshal(r.Data)
	json.Unmarshal(b, &out)
	if out.Login.Token == "" {
		t.Fatalf("login %s: %+v", name, r)
	}
	return out.Login.Token
}

// The per-IP limiter refuses a burst of logins beyond its size.
func TestLoginRateLimit(t *testing.T) {
	l := auth.NewRateLimiter(time.Hour, 3)
	for i := range 3 {
		if !l.Allow("10.0.0.1") {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if l.Allow("10.0.0.1") {
		t.Fatal("the fourth attempt in a burst of 3 was allowed")
	}
	if !l.Allow("10.0.0.2") {
		t.Fatal("another address was limited")
	}
}

// ID numbers written through the API are stored encrypted with their keyed
// hash, and read back in clear (an earlier version's clear values are sealed by the
// migration step encrypt_id_numbers, see database.TestUpgradeFromThePreviousRelease).
func TestIDNumbersEncryptedAtRest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		const id = "11010519491231002X"
		p := db.Client.Person.Create().SetName("张慧婷").SetGender("FEMALE").SetIDNumber(id).SaveX(ctx)
		var stored, hash string
		if err := db.SQL.QueryRowContext(ctx, `SELECT id_number, id_number_hash FROM persons WHERE id = $1`, p.ID).Scan(&stored, &hash); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, "19491231") || !pii.Encrypted(stored) {
			t.Fatalf("stored in clear: %q", stored)
		}
		if want, _ := dbtest.TestKeys.HashIDNumber(id); hash != want {
			t.Fatalf("hash %q", hash)
		}
		if got := db.Client.Person.GetX(ctx, p.ID); got.IDNumber != id {
			t.Fatalf("read back %q", got.IDNumber)
		}
	})
}

// The roster download needs a signed-in user whose scope covers the region;
// it is masked unless personalData=full is asked by a user with the grant.
func TestRosterDownloadNeedsScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		for _, r := range []struct{ code, name, level string }{{"15", "内蒙古", "PROVINCE"}, {"1502", "包头", "CITY"}, {"150221", "土右", "COUNTY"}, {"150222", "固阳", "COUNTY"}} {
			db.Client.Region.Create().SetCode(r.code).SetName(r.name).SetLevel(regionLevel(r.level)).ExecX(ctx)
		}
		county := tokenFor(t, db.DB, accounts.NewUser{Username: "tumed", Role: auth.RoleAdmin, RegionCode: "150221"})
		srv := httptest.NewServer(NewRouter(testConfig(), db.DB))
		defer srv.Close()
		get := func(token, query string) int {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export/roster.xlsx?"+query, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		cases := []struct {
			token, query string
			want         int
		}{
			{"", "region=150221", http.StatusUnauthorized},
			{county, "region=150222", http.StatusForbidden},
			{county, "region=150221", http.StatusOK},
			{county, "region=150221&personalData=full", http.StatusForbidden},
		}
		for _, c := range cases {
			if got := get(c.token, c.query); got != c.want {
				t.Errorf("%s (token %v): %d, want %d", c.query, c.token != "", got, c.want)
			}
		}
		n, _ := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionEXPORT)).Count(ctx)
		if n != 1 {
			t.Fatalf("%d exports audited, want 1", n)
		}
	})
}

func regionLevel(s string) region.Level { return region.Level(s) }
