// Package accounts signs users in and out, resolves bearer tokens to
// viewers and manages accounts within an admin's scope. The audit entries
// of these operations are written through package audit.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/institution"
	"yanzhen/ent/privacy"
	"yanzhen/ent/region"
	"yanzhen/ent/session"
	"yanzhen/ent/user"
	"yanzhen/errcode"
	"yanzhen/regioncode"
)

// Defaults of the sign-in settings (see Service).
const (
	// DefaultSessionTTL is how long a token is valid.
	DefaultSessionTTL = 12 * time.Hour
	// DefaultMaxFailedLogins consecutive failures lock the account for
	// DefaultLockFor.
	DefaultMaxFailedLogins = 5
	DefaultLockFor         = 15 * time.Minute
)

// Logins per client IP: LoginBurst at once, then one every LoginEvery.
const (
	LoginBurst = 10
	LoginEvery = 6 * time.Second
)

// NewLoginLimiter is the login limit of one process (the server shares
// one through the database instead: database.Limiter).
func NewLoginLimiter() *auth.RateLimiter { return auth.NewRateLimiter(LoginEvery, LoginBurst) }

// Service signs users in with the settings it was built with: the server
// builds one from its configuration and hands it to the API; tests build
// their own. The zero Service has the default settings and no rate limit.
type Service struct {
	// SessionTTL is how long a token is valid (0: DefaultSessionTTL).
	SessionTTL time.Duration
	// MaxFailedLogins consecutive failures lock the account for LockFor
	// (0: the defaults).
	MaxFailedLogins int
	LockFor         time.Duration
	// LoginLimiter bounds login attempts per client IP; nil: no limit.
	LoginLimiter auth.Limiter
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (s Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s Service) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return DefaultSessionTTL
}

func (s Service) maxFailed() int {
	if s.MaxFailedLogins > 0 {
		return s.MaxFailedLogins
	}
	return DefaultMaxFailedLogins
}

func (s Service) lockFor() time.Duration {
	if s.LockFor > 0 {
		return s.LockFor
	}
	return DefaultLockFor
}

// internal is ctx with the privacy policies bypassed: sign-in reads users
// and sessions before anybody is known.
func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// errLogin is the one answer to every failed login: it never says whether
// the user exists, is disabled or is locked.
func errLogin() error {
	return errcode.New(errcode.Unauthenticated, "wrong username or password, or the account is locked for a while / 用户名或密码错误，或账号已暂时锁定")
}

// LoginResult is a new session.
type LoginResult struct {
	Token     string
	ExpiresAt time.Time
	User      *ent.User
}

// Login checks a password and opens a session. Failures count towards the
// lockout of the account; the limiter is checked first, per client IP. Its
// writes — the session, the sign-in stamps or the failure count, and the
// audit entry — are one transaction: all of them or none. The password is
// checked before the transaction begins, so no lock is held meanwhile.
func (s Service) Login(ctx context.Context, c *ent.Client, username, password, clientIP string) (*LoginResult, error) {
	if s.LoginLimiter != nil && !s.LoginLimiter.Allow(clientIP) {
		return nil, errcode.New(errcode.TooManyRequests, "too many login attempts; wait a minute / 登录尝试过于频繁，请稍后再试")
	}
	ictx := internal(ctx)
	now := s.now()
	u, err := c.User.Query().Where(user.Username(strings.TrimSpace(username))).Only(ictx)
	if ent.IsNotFound(err) {
		auth.BurnPasswordCheck(password)
		return nil, errLogin()
	}
	if err != nil {
		return nil, err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	locked := u.LockedUntil != nil && u.LockedUntil.After(now)
	if !ok || locked || u.Disabled {
		_, err := inTx(ictx, c, func(c *ent.Client) error {
			if !ok && !locked {
				if err := s.countFailure(ictx, c, u, now); err != nil {
					return err
				}
			}
			return audit.Record(ictx, c, audit.Entry{Action: auditlog.ActionLOGIN_FAILED, ActorID: u.ID, ActorName: u.Username, RegionCode: u.RegionCode})
		})
		if err != nil {
			return nil, err
		}
		return nil, errLogin()
	}
	token, hash := auth.NewToken()
	expires := now.Add(s.sessionTTL())
	own, err := inTx(ictx, c, func(c *ent.Client) error {
		if _, err := c.Session.Create().SetTokenHash(hash).SetUserID(u.ID).SetExpiresAt(expires).Save(ictx); err != nil {
			return err
		}
		if u, err = c.User.UpdateOne(u).SetFailedLogins(0).ClearLockedUntil().SetLastLoginAt(now).Save(ictx); err != nil {
			return err
		}
		return audit.Record(ictx, c, audit.Entry{Action: auditlog.ActionLOGIN, ActorID: u.ID, ActorName: u.Username, RegionCode: u.RegionCode})
	})
	if err != nil {
		return nil, err
	}
	if own {
		u = u.Unwrap() // its edges are read after the transaction
	}
	return &LoginResult{Token: token, ExpiresAt: expires, User: u}, nil
}

// countFailure counts a wrong password of u towards its lockout: at
// MaxFailedLogins in a row the account is locked for LockFor (and the count
// starts over). ctx must be internal.
func (s Service) countFailure(ctx context.Context, c *ent.Client, u *ent.User, now time.Time) error {
	upd := c.User.UpdateOne(u).AddFailedLogins(1)
	if u.FailedLogins+1 >= s.maxFailed() {
		upd.SetLockedUntil(now.Add(s.lockFor())).SetFailedLogins(0)
	}
	return upd.Exec(ctx)
}

// changePasswordReason marks the audit entries of ChangePassword (a failed
// check of the current password is a LOGIN_FAILED, the change an UPDATE of
// the User) apart from those of logins and admins' changes.
const changePasswordReason = "changePassword"

// ChangePassword changes the signed-in user's own password, given the
// current one, which is checked like a login's: the attempt spends the
// login limit of the client address first (TOO_MANY_REQUESTS), a locked
// account is refused (TOO_MANY_REQUESTS) without checking anything, and a
// wrong current password is BAD_USER_INPUT on "currentPassword" that counts
// towards the lockout, with a LOGIN_FAILED entry. The new password follows
// CheckNewPassword and must differ from the current one (BAD_USER_INPUT on
// "newPassword"). On success, in one transaction: the new hash, the failure
// count reset, every other open session of the account revoked — the
// viewer's own session (Viewer.SessionID) stays valid — and an UPDATE entry
// saying so (never the password). It returns how many sessions ended.
// Anonymous callers and the system get UNAUTHENTICATED. It opens its own
// transaction when c has none: a failure's count must be committed
// although the answer is an error (graph: ownTransaction).
func (s Service) ChangePassword(ctx context.Context, c *ent.Client, current, next string) (int, error) {
	v := auth.FromContext(ctx)
	if v.Anonymous() || v.System() {
		return 0, auth.ErrUnauthenticated()
	}
	if s.LoginLimiter != nil && !s.LoginLimiter.Allow(v.ClientIP) {
		return 0, errcode.New(errcode.TooManyRequests, "too many password attempts; wait a minute / 密码尝试过于频繁，请稍后再试")
	}
	ictx := internal(ctx)
	now := s.now()
	u, err := c.User.Get(ictx, v.UserID)
	if ent.IsNotFound(err) {
		return 0, auth.ErrUnauthenticated()
	}
	if err != nil {
		return 0, err
	}
	if u.Disabled {
		return 0, auth.ErrUnauthenticated()
	}
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		return 0, errcode.New(errcode.TooManyRequests, "too many wrong passwords: the account is locked for a while; try again later / 密码错误次数过多，账号已暂时锁定，请稍后再试")
	}
	ok, err := auth.CheckPassword(u.PasswordHash, current)
	if err != nil {
		return 0, err
	}
	if !ok {
		if _, err := inTx(ictx, c, func(c *ent.Client) error {
			if err := s.countFailure(ictx, c, u, now); err != nil {
				return err
			}
			return audit.Record(ictx, c, audit.Entry{Action: auditlog.ActionLOGIN_FAILED, ActorID: u.ID, ActorName: u.Username,
				EntityType: "User", ObjectIDs: []int{u.ID}, RegionCode: u.RegionCode, Reason: changePasswordReason})
		}); err != nil {
			return 0, err
		}
		return 0, errcode.BadInput("currentPassword", "the current password is wrong / 当前密码不正确")
	}
	if err := auth.CheckNewPassword(u.Username, next); err != nil {
		if e, ok := errcode.As(err); ok && e.Field == "password" {
			moved := *e
			moved.Field = "newPassword"
			return 0, &moved
		}
		return 0, err
	}
	if next == current {
		return 0, errcode.BadInput("newPassword", "the new password is the current one; choose another / 新密码不能与当前密码相同")
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return 0, err
	}
	var ended int
	_, err = inTx(ictx, c, func(c *ent.Client) (err error) {
		if err := c.User.UpdateOne(u).SetPasswordHash(hash).SetFailedLogins(0).ClearLockedUntil().Exec(ictx); err != nil {
			return err
		}
		// The viewer's own session (0 for none: every session ends).
		ended, err = c.Session.Update().
			Where(session.UserID(u.ID), session.IDNEQ(v.SessionID), session.RevokedAtIsNil(), session.ExpiresAtGT(now)).
			SetRevokedAt(now).Save(ictx)
		if err != nil {
			return err
		}
		return audit.Record(ictx, c, audit.Entry{Action: auditlog.ActionUPDATE, ActorID: u.ID, ActorName: u.Username,
			EntityType: "User", ObjectIDs: []int{u.ID}, RegionCode: u.RegionCode, Reason: changePasswordReason,
			After: map[string]any{"password_changed": true, "sessions_ended": ended}})
	})
	if err != nil {
		return 0, err
	}
	return ended, nil
}

// inTx runs fn in a new transaction of c, or in c's own when c is
// transactional; own reports which.
func inTx(ctx context.Context, c *ent.Client, fn func(*ent.Client) error) (own bool, err error) {
	tx, err := c.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return false, fn(c)
	}
	if err != nil {
		return false, err
	}
	if err := fn(tx.Client()); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return true, errors.Join(err, fmt.Errorf("rolling back: %w", rerr))
		}
		return true, err
	}
	return true, tx.Commit()
}

// Authenticate resolves a bearer token to its viewer, by one query; nil
// (anonymous) when the token is unknown, expired, revoked or its user
// disabled.
func Authenticate(ctx context.Context, c *ent.Client, token string) (*auth.Viewer, error) {
	if token == "" {
		return nil, nil
	}
	v, _, err := authenticate(ctx, c, auth.HashToken(token))
	return v, err
}

// authenticate resolves a token's hash to its viewer and the session's end.
func authenticate(ctx context.Context, c *ent.Client, hash string) (*auth.Viewer, time.Time, error) {
	s, err := c.Session.Query().
		Where(session.TokenHash(hash), session.RevokedAtIsNil(), session.ExpiresAtGT(time.Now())).
		WithUser().
		Only(internal(ctx))
	if ent.IsNotFound(err) {
		return nil, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	u := s.Edges.User
	if u == nil || u.Disabled {
		return nil, time.Time{}, nil
	}
	v := ViewerOf(u)
	v.SessionID = s.ID
	return v, s.ExpiresAt, nil
}

// ViewerOf is the viewer acting as u.
func ViewerOf(u *ent.User) *auth.Viewer {
	v := &auth.Viewer{
		UserID: u.ID, Username: u.Username, Role: auth.Role(u.Role), Scope: u.RegionCode,
		PersonalData: u.PersonalDataAccess,
	}
	if u.InstitutionID != nil {
		v.InstitutionID = *u.InstitutionID
	}
	return v
}

// Logout revokes the viewer's session.
func Logout(ctx context.Context, c *ent.Client) error {
	v := auth.FromContext(ctx)
	if v.Anonymous() || v.SessionID == 0 {
		return auth.ErrUnauthenticated()
	}
	_, err := inTx(ctx, c, func(c *ent.Client) error {
		if err := c.Session.UpdateOneID(v.SessionID).SetRevokedAt(time.Now()).Exec(internal(ctx)); err != nil {
			return err
		}
		return audit.Record(ctx, c, audit.Entry{Action: auditlog.ActionLOGOUT})
	})
	return err
}

// RevokeSessions ends every open session of a user the admin manages, and
// returns how many were open.
func RevokeSessions(ctx context.Context, c *ent.Client, userID int) (int, error) {
	v := auth.FromContext(ctx)
	if !v.System() && !v.Is(auth.RoleAdmin) {
		return 0, auth.Deny(v)
	}
	// Visible to the admin (userScope) or not at all.
	u, err := c.User.Get(ctx, userID)
	if err != nil {
		return 0, err
	}
	if !v.System() && u.ID != v.UserID && !v.Covers(u.RegionCode) && !(v.Scope == "") {
		return 0, auth.ErrForbidden()
	}
	var n int
	if _, err := inTx(ctx, c, func(c *ent.Client) (err error) {
		n, err = c.Session.Update().
			Where(session.UserID(u.ID), session.RevokedAtIsNil(), session.ExpiresAtGT(time.Now())).
			SetRevokedAt(time.Now()).Save(internal(ctx))
		if err != nil {
			return err
		}
		return audit.Record(ctx, c, audit.Entry{Action: auditlog.ActionREVOKE_SESSIONS, EntityType: "User", ObjectIDs: []int{u.ID}, RegionCode: u.RegionCode})
	}); err != nil {
		return 0, err
	}
	return n, nil
}

// NewUser describes an account to create.
type NewUser struct {
	Username     string
	Password     string // empty: one is generated and returned
	Role         auth.Role
	RegionCode   string
	Institution  int // partners: the institution's ID
	PersonalData bool
}

// CreateUser creates an account. An admin creates accounts only within its
// subtree and never above its own role scope (a county admin cannot make a
// city admin), and grants personal-data access only when it holds it
// (checkGrant); the system creates any. It returns the password when it
// generated one.
func CreateUser(ctx context.Context, c *ent.Client, in NewUser) (*ent.User, string, error) {
	if err := checkAccount(ctx, c, in.Role, in.RegionCode, in.Institution); err != nil {
		return nil, "", err
	}
	if in.PersonalData {
		if err := checkGrant(ctx); err != nil {
			return nil, "", err
		}
	}
	name := strings.TrimSpace(in.Username)
	if name == "" || len(name) > 64 || strings.ContainsAny(name, " \t\r\n") {
		return nil, "", errcode.BadInput("username", "a username is 1–64 characters without spaces / 用户名须为1–64个字符且不含空格")
	}
	generated := ""
	if in.Password == "" {
		in.Password = auth.GeneratePassword()
		generated = in.Password
	}
	if err := auth.CheckNewPassword(name, in.Password); err != nil {
		return nil, "", err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, "", err
	}
	// The user and the system's entry are written together.
	var u *ent.User
	own, err := inTx(ctx, c, func(c *ent.Client) (err error) {
		q := c.User.Create().SetUsername(name).SetPasswordHash(hash).SetRole(user.Role(in.Role)).
			SetRegionCode(in.RegionCode).SetPersonalDataAccess(in.PersonalData)
		if in.Institution != 0 {
			q.SetInstitutionID(in.Institution)
		}
		u, err = q.Save(ctx)
		if ent.IsConstraintError(err) {
			return errcode.ConflictWith("the username %q is taken / 用户名已被使用", name)
		}
		if err != nil {
			return err
		}
		// A user's creation is recorded by the audit hook; the system's (the
		// user command, the demo) here, since the hook skips the system.
		if auth.FromContext(ctx).System() {
			after := map[string]any{"username": u.Username, "role": u.Role, "region_code": u.RegionCode,
				"personal_data_access": u.PersonalDataAccess}
			if u.InstitutionID != nil {
				after["institution_id"] = *u.InstitutionID
			}
			return audit.Record(ctx, c, audit.Entry{Action: auditlog.ActionCREATE, EntityType: "User", ObjectIDs: []int{u.ID},
				RegionCode: u.RegionCode, After: after})
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if own {
		u = u.Unwrap()
	}
	return u, generated, nil
}

// checkGrant refuses to let a user grant personal-data access who does not
// hold it: nobody grants more than they have. The system (the user
// command) may.
func checkGrant(ctx context.Context) error {
	v := auth.FromContext(ctx)
	if v.System() || (v.Is(auth.RoleAdmin) && v.PersonalData) {
		return nil
	}
	return errcode.New(errcode.Forbidden, "only an administrator who has personal-data access may grant it / 只有本人拥有个人信息查看权限的管理员才能授予该权限")
}

// UserChange is an update of an account; nil fields stay.
type UserChange struct {
	Role         *auth.Role
	RegionCode   *string
	Institution  *int
	PersonalData *bool
	Disabled     *bool
	Password     *string
}

// UpdateUser changes an account the admin manages, under the same rules as
// CreateUser; disabling an account or changing its password ends its
// sessions. Granting personal-data access, and moving an account that has
// it to another role, region or institution (which extends the grant to
// other people), needs an admin who holds it; revoking it does not.
func UpdateUser(ctx context.Context, c *ent.Client, id int, ch UserChange) (*ent.User, error) {
	v := auth.FromContext(ctx)
	if !v.System() && !v.Is(auth.RoleAdmin) {
		return nil, auth.Deny(v)
	}
	u, err := c.User.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.ID == v.UserID && (ch.Role != nil || ch.RegionCode != nil || ch.PersonalData != nil || ch.Disabled != nil) {
		return nil, errcode.New(errcode.Forbidden, "you cannot change your own role, scope or grants / 不能修改自己的角色、范围或授权")
	}
	role, code, inst := auth.Role(u.Role), u.RegionCode, 0
	if u.InstitutionID != nil {
		inst = *u.InstitutionID
	}
	if ch.Role != nil {
		role = *ch.Role
	}
	if ch.RegionCode != nil {
		code = *ch.RegionCode
	}
	if ch.Institution != nil {
		inst = *ch.Institution
	}
	if err := checkAccount(ctx, c, role, code, inst); err != nil {
		return nil, err
	}
	oldInst := 0
	if u.InstitutionID != nil {
		oldInst = *u.InstitutionID
	}
	granted := u.PersonalDataAccess
	if ch.PersonalData != nil {
		granted = *ch.PersonalData
	}
	moved := role != auth.Role(u.Role) || code != u.RegionCode || inst != oldInst
	if granted && (!u.PersonalDataAccess || moved) {
		if err := checkGrant(ctx); err != nil {
			return nil, err
		}
	}
	hash := ""
	if ch.Password != nil {
		if err := auth.CheckNewPassword(u.Username, *ch.Password); err != nil {
			return nil, err
		}
		if hash, err = auth.HashPassword(*ch.Password); err != nil {
			return nil, err
		}
	}
	// The change, the system's entry and the end of the sessions are
	// written together.
	old := u
	own, err := inTx(ctx, c, func(c *ent.Client) (err error) {
		upd := c.User.UpdateOne(old).SetRole(user.Role(role)).SetRegionCode(code)
		if inst != 0 {
			upd.SetInstitutionID(inst)
		} else {
			upd.ClearInstitutionID()
		}
		if ch.PersonalData != nil {
			upd.SetPersonalDataAccess(*ch.PersonalData)
		}
		endSessions := false
		if ch.Disabled != nil {
			upd.SetDisabled(*ch.Disabled)
			endSessions = *ch.Disabled
		}
		if ch.Password != nil {
			upd.SetPasswordHash(hash).SetFailedLogins(0).ClearLockedUntil()
			endSessions = true
		}
		if u, err = upd.Save(ctx); err != nil {
			return err
		}
		if v.System() {
			if err := recordSystemChange(ctx, c, old, u); err != nil {
				return err
			}
		}
		if endSessions {
			if _, err := c.Session.Update().Where(session.UserID(u.ID), session.RevokedAtIsNil()).
				SetRevokedAt(time.Now()).Save(internal(ctx)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if own {
		u = u.Unwrap()
	}
	return u, nil
}

// recordSystemChange records what the system changed of an account's
// grants, role, scope, institution or state: users' changes are recorded by
// the audit hook, which skips the system.
func recordSystemChange(ctx context.Context, c *ent.Client, old, u *ent.User) error {
	before, after := map[string]any{}, map[string]any{}
	note := func(field string, was, is any) {
		if was != is {
			before[field], after[field] = was, is
		}
	}
	note("personal_data_access", old.PersonalDataAccess, u.PersonalDataAccess)
	note("role", old.Role, u.Role)
	note("region_code", old.RegionCode, u.RegionCode)
	note("disabled", old.Disabled, u.Disabled)
	wasInst, isInst := 0, 0
	if old.InstitutionID != nil {
		wasInst = *old.InstitutionID
	}
	if u.InstitutionID != nil {
		isInst = *u.InstitutionID
	}
	note("institution_id", wasInst, isInst)
	if len(after) == 0 {
		return nil
	}
	return audit.Record(ctx, c, audit.Entry{Action: auditlog.ActionUPDATE, EntityType: "User", ObjectIDs: []int{u.ID},
		RegionCode: u.RegionCode, Before: before, After: after})
}

// roleLevels: the region levels each role's scope may be at.
var roleLevels = map[auth.Role][]int{
	auth.RoleAdmin:    {0, 2, 4, 6}, // national, province, city, county
	auth.RoleTownship: {9},
	auth.RoleVillage:  {12},
}

// checkAccount checks a role and its scope, and that the acting admin may
// grant them: the scope lies in the admin's subtree, and an admin account
// is never given a scope above (or equal to a wider one than) the admin's.
func checkAccount(ctx context.Context, c *ent.Client, role auth.Role, code string, inst int) error {
	if !role.Valid() {
		return errcode.BadInput("role", "%q is not a role (ADMIN, TOWNSHIP, VILLAGE, PARTNER) / 未知角色", role)
	}
	v := auth.FromContext(ctx)
	if !v.System() && !v.Is(auth.RoleAdmin) {
		return auth.Deny(v)
	}
	if role == auth.RolePartner {
		if code != "" {
			return errcode.BadInput("regionCode", "a partner account is scoped by its institution, not a region / 合作单位账号按单位授权，不设区划")
		}
		if inst == 0 {
			return errcode.BadInput("institutionID", "a partner account needs its institution / 合作单位账号须指定单位")
		}
		in, err := c.Institution.Query().Where(institution.ID(inst)).WithRegion().Only(ctx)
		if ent.IsNotFound(err) {
			return errcode.New(errcode.NotFound, "no such institution / 未找到该单位")
		}
		if err != nil {
			return err
		}
		// A partner is managed by the admins of the institution's region
		// (national admins for one without a region).
		if !v.System() && v.Scope != "" && (in.Edges.Region == nil || !v.Covers(in.Edges.Region.Code)) {
			return auth.ErrForbidden()
		}
		return nil
	}
	if inst != 0 {
		return errcode.BadInput("institutionID", "only partner accounts have an institution / 仅合作单位账号关联单位")
	}
	okLevel := false
	for _, n := range roleLevels[role] {
		if len(code) == n {
			okLevel = true
		}
	}
	if !okLevel || (code != "" && !regioncode.Valid(code)) {
		return errcode.BadInput("regionCode", "a %s account needs a region code of the right level / 该角色须指定相应级别的区划代码", role)
	}
	if code != "" {
		n, err := c.Region.Query().Where(region.Code(code)).Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errcode.New(errcode.NotFound, "no region has the code %s / 未找到该区划", code)
		}
	}
	if v.System() {
		return nil
	}
	if !strings.HasPrefix(code, v.Scope) {
		return auth.ErrForbidden()
	}
	return nil
}
