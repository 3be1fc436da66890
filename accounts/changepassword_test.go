package accounts_test

import (
	"context"
	"errors"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/errcode"
)

const newPassword = "杏花 春雨 江南 kite"

// ChangePassword writes the new hash, the end of the other sessions and its
// entry in one transaction (none of them during an audit outage), and the
// server's session cache drops the ended sessions at once: a cached token
// of another session of the account is anonymous right after the change,
// while the session that changed it stays signed in.
func TestChangePasswordIsAtomicAndEndsCachedSessions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		u := newUser(t, db.Client, "qian")
		svc := accounts.Service{}
		bg := context.Background()
		login := func() string {
			t.Helper()
			res, err := svc.Login(bg, db.Client, "qian", password, "ip")
			if err != nil {
				t.Fatal(err)
			}
			return res.Token
		}
		mine, others := login(), login()
		cache := accounts.NewSessions(0, 0)
		resolve := func(token string) *auth.Viewer {
			t.Helper()
			v, err := cache.Authenticate(bg, db.Client, token)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		v, o := resolve(mine), resolve(others) // both cached now
		if v == nil || o == nil || v.SessionID == o.SessionID {
			t.Fatalf("sessions %+v %+v", v, o)
		}
		v.ClientIP = "192.0.2.1"

		outage, boom := auditOutage(db.Client)
		outage.Store(true)
		if _, err := svc.ChangePassword(auth.NewContext(bg, v), db.Client, password, newPassword); !errors.Is(err, boom) {
			t.Fatalf("during an audit outage: %v", err)
		}
		if resolve(others) == nil {
			t.Fatal("a session ended although the change failed")
		}
		outage.Store(false) // signing in is audited too
		if _, err := svc.Login(bg, db.Client, "qian", password, "ip"); err != nil {
			t.Fatalf("the old password after a failed change: %v", err)
		}

		ctx, done := cache.Watch(auth.NewContext(bg, v))
		ended, err := svc.ChangePassword(ctx, db.Client, password, newPassword)
		done()
		if err != nil {
			t.Fatal(err)
		}
		if ended != 2 { // others, and the old password's check above
			t.Errorf("%d sessions ended, want 2", ended)
		}
		if resolve(others) != nil {
			t.Error("the cached token of another session still signs in")
		}
		if got := resolve(mine); got == nil || got.UserID != u.ID {
			t.Errorf("the session that changed the password: %+v", got)
		}
		if _, err := svc.Login(bg, db.Client, "qian", newPassword, "ip"); err != nil {
			t.Fatalf("the new password: %v", err)
		}
		if n := count(t, db.Client, auditlog.ActionUPDATE); n != 1 {
			t.Errorf("%d UPDATE entries, want 1", n)
		}
	})
}

// Without a session (a viewer not made from a token) every session ends;
// nobody and the system cannot change a password this way.
func TestChangePasswordViewers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		u := newUser(t, db.Client, "zhou")
		svc := accounts.Service{}
		bg := context.Background()
		for _, ctx := range []context.Context{bg, auth.NewContext(bg, &auth.Viewer{}), sys} {
			if _, err := svc.ChangePassword(ctx, db.Client, password, newPassword); code(err) != errcode.Unauthenticated {
				t.Errorf("%v: %v", auth.FromContext(ctx).Name(), err)
			}
		}
		if _, err := svc.Login(bg, db.Client, "zhou", password, "ip"); err != nil {
			t.Fatal(err)
		}
		ended, err := svc.ChangePassword(auth.NewContext(bg, accounts.ViewerOf(u)), db.Client, password, newPassword)
		if err != nil || ended != 1 {
			t.Fatalf("%d ended, %v", ended, err)
		}
	})
}
