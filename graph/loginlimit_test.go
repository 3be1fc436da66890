package graph_test

import (
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/graph"
)

// Failed logins through the API from one client address run into the
// limiter of the handler's accounts service (TOO_MANY_REQUESTS, even with
// the right password), while another address still signs in.
func TestLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		newUser(t, db, "wang", auth.RoleAdmin, "", 0, false)
		cfg := graph.DefaultConfig
		cfg.Accounts = &accounts.Service{LoginLimiter: auth.NewRateLimiter(time.Hour, 3)}
		h := graph.NewHandler(db.DB, cfg)
		from := func(ip string) *api { return serveAs(t, db, h, &auth.Viewer{ClientIP: ip}) }
		attacker, other := from("198.51.100.7"), from("198.51.100.8")
		const login = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { username } } }`
		wrong := map[string]any{"u": "wang", "p": "not the password"}
		right := map[string]any{"u": "wang", "p": "a long enough password"}
		for range 3 {
			attacker.fails("UNAUTHENTICATED", login, wrong)
		}
		attacker.fails("TOO_MANY_REQUESTS", login, wrong)
		attacker.fails("TOO_MANY_REQUESTS", login, right)
		var out struct {
			Login struct {
				Token string
				User  struct{ Username string }
			}
		}
		other.ok(login, right, &out)
		if out.Login.Token == "" || out.Login.User.Username != "wang" {
			t.Fatalf("the other address did not sign in: %+v", out)
		}
		// Another handler has a limiter of its own.
		serveAs(t, db, graph.NewHandler(db.DB, graph.DefaultConfig), &auth.Viewer{ClientIP: "198.51.100.7"}).ok(login, right, nil)
	})
}
