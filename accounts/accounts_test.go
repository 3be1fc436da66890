package accounts_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	gen "yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/hook"
	"yanzhen/ent/session"
	"yanzhen/ent/user"
	"yanzhen/errcode"
)

const password = "correct horse battery"

func newUser(t *testing.T, c *gen.Client, name string) *gen.User {
	t.Helper()
	u, _, err := accounts.CreateUser(auth.System(context.Background()), c, accounts.NewUser{
		Username: name, Password: password, Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// auditOutage makes the audit writes through c fail while it is on.
func auditOutage(c *gen.Client) (*atomic.Bool, error) {
	var on atomic.Bool
	boom := errors.New("the audit log is unavailable")
	c.AuditLog.Use(func(next ent.Mutator) ent.Mutator {
		return hook.AuditLogFunc(func(ctx context.Context, m *gen.AuditLogMutation) (ent.Value, error) {
			if on.Load() {
				return nil, boom
			}
			return next.Mutate(ctx, m)
		})
	})
	return &on, boom
}

func code(err error) string {
	if e, ok := errcode.As(err); ok {
		return e.Code
	}
	return ""
}

var sys = auth.System(context.Background())

func count(t *testing.T, c *gen.Client, action auditlog.Action) int {
	t.Helper()
	return c.AuditLog.Query().Where(auditlog.ActionEQ(action)).CountX(sys)
}

// Login writes the session, the sign-in stamps or the failure count, and
// its audit entry in one transaction: when the entry cannot be written,
// the login fails and nothing of it stays.
func TestLoginIsAtomic(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		u := newUser(t, db.Client, "wang")
		outage, boom := auditOutage(db.Client)
		now := time.Now().Truncate(time.Second) // the token is checked against the real clock
		svc := accounts.Service{Now: func() time.Time { return now }}
		ctx := context.Background()

		outage.Store(true)
		if _, err := svc.Login(ctx, db.Client, "wang", password, "ip"); !errors.Is(err, boom) {
			t.Fatalf("login during an audit outage: %v", err)
		}
		if _, err := svc.Login(ctx, db.Client, "wang", "wrong password!", "ip"); !errors.Is(err, boom) {
			t.Fatalf("failed login during an audit outage: %v", err)
		}
		got := db.Client.User.GetX(sys, u.ID)
		if n := db.Client.Session.Query().CountX(sys); n != 0 || got.LastLoginAt != nil || got.FailedLogins != 0 {
			t.Fatalf("half-written logins: %d sessions, last login %v, %d failures", n, got.LastLoginAt, got.FailedLogins)
		}
		if count(t, db.Client, auditlog.ActionLOGIN)+count(t, db.Client, auditlog.ActionLOGIN_FAILED) != 0 {
			t.Fatal("login entries written")
		}

		outage.Store(false)
		if _, err := svc.Login(ctx, db.Client, "wang", "wrong password!", "ip"); code(err) != errcode.Unauthenticated {
			t.Fatalf("wrong password: %v", err)
		}
		if got := db.Client.User.GetX(sys, u.ID); got.FailedLogins != 1 || count(t, db.Client, auditlog.ActionLOGIN_FAILED) != 1 {
			t.Fatalf("failure not recorded: %d failures", got.FailedLogins)
		}
		res, err := svc.Login(ctx, db.Client, "wang", password, "ip")
		if err != nil {
			t.Fatal(err)
		}
		got = db.Client.User.GetX(sys, u.ID)
		if got.FailedLogins != 0 || got.LastLoginAt == nil || !got.LastLoginAt.Equal(now) || count(t, db.Client, auditlog.ActionLOGIN) != 1 {
			t.Fatalf("after login: %+v", got)
		}
		if !res.ExpiresAt.Equal(now.Add(accounts.DefaultSessionTTL)) || res.User.LastLoginAt == nil {
			t.Fatalf("result %+v", res)
		}
		// The user of the result outlives the transaction it was saved in.
		if _, err := res.User.QueryAuditLogs().Count(sys); err != nil {
			t.Fatalf("the result's user after the transaction: %v", err)
		}
		v, err := accounts.Authenticate(ctx, db.Client, res.Token)
		if err != nil || v == nil || v.UserID != u.ID {
			t.Fatalf("the token does not sign in: %v %v", v, err)
		}
	})
}

// The lockout and the session lifetime are the service's settings.
func TestServiceSettings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		newUser(t, db.Client, "li")
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		svc := accounts.Service{MaxFailedLogins: 2, LockFor: time.Hour, SessionTTL: 30 * time.Minute,
			Now: func() time.Time { return now }}
		ctx := context.Background()
		for range 2 {
			if _, err := svc.Login(ctx, db.Client, "li", "wrong password!", "ip"); code(err) != errcode.Unauthenticated {
				t.Fatal(err)
			}
		}
		u := db.Client.User.Query().Where(user.Username("li")).OnlyX(sys)
		if u.LockedUntil == nil || !u.LockedUntil.Equal(now.Add(time.Hour)) {
			t.Fatalf("locked until %v, want %v", u.LockedUntil, now.Add(time.Hour))
		}
		if _, err := svc.Login(ctx, db.Client, "li", password, "ip"); code(err) != errcode.Unauthenticated {
			t.Fatalf("a locked account signed in: %v", err)
		}
		now = now.Add(61 * time.Minute)
		res, err := svc.Login(ctx, db.Client, "li", password, "ip")
		if err != nil {
			t.Fatal(err)
		}
		if !res.ExpiresAt.Equal(now.Add(30 * time.Minute)) {
			t.Fatalf("expires at %v", res.ExpiresAt)
		}
	})
}

// The limiter of the service counts attempts per client IP, before the
// password is looked at; a service without one does not limit.
func TestLoginLimiter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		newUser(t, db.Client, "zhao")
		ctx := context.Background()
		svc := accounts.Service{LoginLimiter: auth.NewRateLimiter(time.Hour, 2)}
		for range 2 {
			if _, err := svc.Login(ctx, db.Client, "zhao", "wrong password!", "192.0.2.1"); code(err) != errcode.Unauthenticated {
				t.Fatal(err)
			}
		}
		if _, err := svc.Login(ctx, db.Client, "zhao", password, "192.0.2.1"); code(err) != errcode.TooManyRequests {
			t.Fatalf("third attempt: %v", err)
		}
		if _, err := svc.Login(ctx, db.Client, "zhao", password, "192.0.2.2"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		for range 5 {
			if _, err := (accounts.Service{}).Login(ctx, db.Client, "zhao", password, "192.0.2.1"); err != nil {
				t.Fatalf("no limiter: %v", err)
			}
		}
	})
}

// Logout and RevokeSessions fail when their entry cannot be written, and
// their change goes with the operation's transaction.
func TestSessionEndsNeedTheirEntry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		u := newUser(t, db.Client, "sun")
		res, err := (accounts.Service{}).Login(context.Background(), db.Client, "sun", password, "ip")
		if err != nil {
			t.Fatal(err)
		}
		v, err := accounts.Authenticate(context.Background(), db.Client, res.Token)
		if err != nil || v == nil {
			t.Fatal(v, err)
		}
		outage, boom := auditOutage(db.Client)
		outage.Store(true)
		ctx := auth.NewContext(context.Background(), v)
		for name, end := range map[string]func(*gen.Client) error{
			"logout": func(c *gen.Client) error { return accounts.Logout(ctx, c) },
			"revoke": func(c *gen.Client) error { _, err := accounts.RevokeSessions(sys, c, u.ID); return err },
		} {
			tx, err := db.Client.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := end(tx.Client()); !errors.Is(err, boom) {
				t.Fatalf("%s during an audit outage: %v", name, err)
			}
			tx.Rollback()
			if n := db.Client.Session.Query().Where(session.RevokedAtIsNil()).CountX(sys); n != 1 {
				t.Fatalf("%s ended the session without its entry", name)
			}
		}
	})
}
