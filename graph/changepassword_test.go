package graph_test

// Issue 15 item 4: a signed-in user changes their own password.

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/user"
	"yanzhen/graph"
)

const (
	changePassword = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`
	loginAs        = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`
	// The password newUser gives every account.
	startPassword = "a long enough password"
	newPassword   = "杏花 春雨 江南 kite"
)

// withToken serves requests through h as the server does: the bearer token
// resolved to its session's viewer (anonymous when it is unknown, expired
// or revoked), from client address ip.
func withToken(t *testing.T, db *dbtest.DB, h http.Handler, token, ip string) *api {
	return &api{t: t, db: db, h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := accounts.Authenticate(r.Context(), db.Client, token)
		if err != nil {
			t.Errorf("authenticating: %v", err)
		}
		if v == nil {
			v = &auth.Viewer{}
		}
		v.ClientIP = ip
		h.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), v)))
	})}
}

// config is the default endpoint configuration with the accounts service s.
func config(s *accounts.Service) graph.Config {
	cfg := graph.DefaultConfig
	cfg.Accounts = s
	return cfg
}

// signIn logs username in through h and returns the token.
func signIn(t *testing.T, db *dbtest.DB, h http.Handler, username, password string) string {
	t.Helper()
	var out struct{ Login struct{ Token string } }
	withToken(t, db, h, "", "192.0.2.50").ok(loginAs, map[string]any{"u": username, "p": password}, &out)
	return out.Login.Token
}

// field is the extensions.field of a response's first error.
func field(r response) string {
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

// TestChangePassword: anonymous callers are UNAUTHENTICATED; a wrong
// current password is BAD_USER_INPUT on currentPassword and counts towards
// the lockout (committed although the answer is an error), with a
// LOGIN_FAILED entry; a new password breaking the rules, or equal to the
// current one, is BAD_USER_INPUT on newPassword; neither quotes a
// password. Success ends the account's other sessions and keeps this one,
// the old password no longer signs in and the new one does, and the audit
// entry says what happened without any password or hash. Any role may.
func TestChangePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		w := makeWorld(t, db.Client)
		me := newUser(t, db, "lihua", auth.RoleVillage, w.villages[0].Code, 0, false)
		newUser(t, db, "zhangsan", auth.RoleVillage, w.villages[1].Code, 0, false)
		h := graph.NewHandler(db.DB, config(&accounts.Service{}))
		current, second, third := signIn(t, db, h, "lihua", startPassword), signIn(t, db, h, "lihua", startPassword), signIn(t, db, h, "lihua", startPassword)
		otherToken := signIn(t, db, h, "zhangsan", startPassword)
		a := withToken(t, db, h, current, "192.0.2.10")
		failedLogins := func() int {
			return db.Client.User.Query().Where(user.ID(me.UserID)).OnlyX(ctx).FailedLogins
		}
		noSecret := func(r response, secrets ...string) {
			t.Helper()
			for _, s := range secrets {
				if strings.Contains(r.Raw, strings.TrimSpace(s)) {
					t.Errorf("the answer quotes a password: %s", r.Raw)
				}
			}
		}

		t.Run("anonymous", func(t *testing.T) {
			withToken(t, db, h, "", "192.0.2.10").fails("UNAUTHENTICATED", changePassword, map[string]any{"c": startPassword, "n": newPassword})
			withToken(t, db, h, "not a token", "192.0.2.10").fails("UNAUTHENTICATED", changePassword, map[string]any{"c": startPassword, "n": newPassword})
		})

		t.Run("a wrong current password counts towards the lockout", func(t *testing.T) {
			r := a.fails("BAD_USER_INPUT", changePassword, map[string]any{"c": "not my password", "n": newPassword})
			if field(r) != "currentPassword" {
				t.Errorf("field %q: %s", field(r), r.Raw)
			}
			if text, _ := r.Errors[0].Extensions["text"].(map[string]any); text["zh"] == "" || text["en"] == "" {
				t.Errorf("no text in both languages: %s", r.Raw)
			}
			noSecret(r, "not my password", newPassword)
			if n := failedLogins(); n != 1 {
				t.Errorf("%d failed logins after a wrong current password, want 1 (kept although the answer is an error)", n)
			}
			entries := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionLOGIN_FAILED), auditlog.ActorID(me.UserID)).AllX(ctx)
			if len(entries) != 1 || entries[0].Reason != "changePassword" {
				t.Errorf("LOGIN_FAILED entries: %+v", entries)
			}
		})

		t.Run("a new password breaking the rules", func(t *testing.T) {
			for _, p := range []string{"short", "lihua12345", "lihualihua", "password123", "aaaaaaaaaaaa", "0123456789", "yanzhen2024", startPassword} {
				r := a.fails("BAD_USER_INPUT", changePassword, map[string]any{"c": startPassword, "n": p})
				if field(r) != "newPassword" {
					t.Errorf("%q: field %q: %s", p, field(r), r.Raw)
				}
				noSecret(r, p, startPassword)
			}
			// Refused, the password is unchanged.
			signIn(t, db, h, "lihua", startPassword)
		})

		t.Run("only field of its operation", func(t *testing.T) {
			a.fails("BAD_USER_INPUT", `mutation { changePassword(currentPassword: "a long enough password", newPassword: "杏花 春雨 江南 kite") logout }`, nil)
		})

		t.Run("success ends the other sessions and keeps this one", func(t *testing.T) {
			var out struct{ ChangePassword bool }
			a.ok(changePassword, map[string]any{"c": startPassword, "n": newPassword}, &out)
			if !out.ChangePassword {
				t.Fatal("changePassword answered false")
			}
			whoami := func(token string) string {
				var m struct{ Me *struct{ Username string } }
				withToken(t, db, h, token, "192.0.2.10").ok(`{ me { username } }`, nil, &m)
				if m.Me == nil {
					return ""
				}
				return m.Me.Username
			}
			if got := whoami(current); got != "lihua" {
				t.Errorf("the session that changed the password: me = %q, want lihua", got)
			}
			for _, tok := range []string{second, third} {
				if got := whoami(tok); got != "" {
					t.Errorf("another session of the account still works: me = %q", got)
				}
			}
			if got := whoami(otherToken); got != "zhangsan" {
				t.Errorf("another account's session ended: me = %q", got)
			}
			anon := withToken(t, db, h, "", "192.0.2.11")
			noSecret(anon.fails("UNAUTHENTICATED", loginAs, map[string]any{"u": "lihua", "p": startPassword}), startPassword)
			signIn(t, db, h, "lihua", newPassword)
			if n := failedLogins(); n != 0 {
				t.Errorf("%d failed logins after the change, want 0", n)
			}
			// The current session changes it again (now from the new one).
			a.ok(changePassword, map[string]any{"c": newPassword, "n": "黄河 远上 白云间 9"}, nil)

			entries := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionUPDATE), auditlog.EntityType("User"), auditlog.ActorID(me.UserID)).
				Order(auditlog.ByID()).AllX(ctx)
			if len(entries) != 2 || entries[0].Reason != "changePassword" || entries[0].After["password_changed"] != true ||
				entries[0].After["sessions_ended"] != float64(3) || // second, third, and the rules' check's sign-in
				len(entries[0].ObjectIds) != 1 || entries[0].ObjectIds[0] != me.UserID {
				t.Errorf("the change's audit entries: %+v", entries)
			}
			// No password, nor its hash, in any entry.
			all := db.Client.AuditLog.Query().AllX(ctx)
			raw, _ := json.Marshal(all)
			for _, s := range []string{startPassword, newPassword, "黄河 远上", "argon2"} {
				if strings.Contains(string(raw), s) {
					t.Errorf("the audit log holds %q", s)
				}
			}
		})
	})
}

// TestChangePasswordLockout: wrong current passwords and failed logins
// count together; at the limit the account is locked — login refuses the
// right password, and changePassword answers TOO_MANY_REQUESTS without
// checking it — until the lock ends.
func TestChangePasswordLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		newUser(t, db, "wang", auth.RoleAdmin, "", 0, false)
		now := time.Now()
		clock := func() time.Time { return now }
		h := graph.NewHandler(db.DB, config(&accounts.Service{MaxFailedLogins: 4, LockFor: time.Hour, Now: clock}))
		token := signIn(t, db, h, "wang", startPassword)
		a := withToken(t, db, h, token, "192.0.2.20")
		anon := withToken(t, db, h, "", "192.0.2.21")
		wrong := map[string]any{"c": "not the password", "n": newPassword}
		right := map[string]any{"c": startPassword, "n": newPassword}
		anon.fails("UNAUTHENTICATED", loginAs, map[string]any{"u": "wang", "p": "not the password"})
		anon.fails("UNAUTHENTICATED", loginAs, map[string]any{"u": "wang", "p": "not the password"})
		for range 2 {
			if r := a.fails("BAD_USER_INPUT", changePassword, wrong); field(r) != "currentPassword" {
				t.Fatalf("wrong current password: %s", r.Raw)
			}
		}
		// Four in a row: locked.
		a.fails("TOO_MANY_REQUESTS", changePassword, right)
		anon.fails("UNAUTHENTICATED", loginAs, map[string]any{"u": "wang", "p": startPassword})
		// The session itself is not ended by the lock.
		var m struct{ Me *struct{ Username string } }
		a.ok(`{ me { username } }`, nil, &m)
		if m.Me == nil {
			t.Fatal("the lock ended the session")
		}
		// After the lock, the right password changes it.
		now = now.Add(time.Hour + time.Minute)
		a.ok(changePassword, right, nil)
		signIn(t, db, h, "wang", newPassword)
	})
}

// TestChangePasswordRateLimit: every attempt spends the login limit of the
// client address, shared with login; another address has its own.
func TestChangePasswordRateLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		newUser(t, db, "wang", auth.RoleAdmin, "", 0, false)
		res, err := accounts.Service{}.Login(context.Background(), db.Client, "wang", startPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		h := graph.NewHandler(db.DB, config(&accounts.Service{LoginLimiter: auth.NewRateLimiter(time.Hour, 3)}))
		attacker := withToken(t, db, h, res.Token, "198.51.100.7")
		wrong := map[string]any{"c": "not the password", "n": newPassword}
		right := map[string]any{"c": startPassword, "n": newPassword}
		for range 3 {
			attacker.fails("BAD_USER_INPUT", changePassword, wrong)
		}
		attacker.fails("TOO_MANY_REQUESTS", changePassword, right)
		withToken(t, db, h, "", "198.51.100.7").fails("TOO_MANY_REQUESTS", loginAs, map[string]any{"u": "wang", "p": startPassword})
		withToken(t, db, h, res.Token, "198.51.100.8").ok(changePassword, right, nil)
	})
}
