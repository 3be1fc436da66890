// Package auth knows who is asking: the viewer of a request (a signed-in
// user, the system itself, or nobody), their role and the region subtree
// their role covers. The ent privacy policies (ent/schema/privacy.go) and the
// raw-SQL capabilities of insight read the viewer from the context; the
// server puts it there from the bearer token. It also holds the password
// hashing, the session tokens and the login rate limiter.
package auth

import (
	"context"
	"strings"

	"yanzhen/errcode"
)

// Role is what a user may do, within their scope.
type Role string

const (
	// RoleAdmin reads and writes everything in a province, city or county
	// subtree (or the whole country with an empty scope) and manages the
	// accounts below it.
	RoleAdmin Role = "ADMIN"
	// RoleTownship reads its township's villages and writes contact logs,
	// demands and posts there.
	RoleTownship Role = "TOWNSHIP"
	// RoleVillage reads its village and writes contact logs.
	RoleVillage Role = "VILLAGE"
	// RolePartner is bound to an institution (a partner university): it reads
	// the institution's experts, their assignments, service records and the
	// demands matched to them, and writes service records for them.
	RolePartner Role = "PARTNER"
)

// Roles lists the roles, highest first.
var Roles = []Role{RoleAdmin, RoleTownship, RoleVillage, RolePartner}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Viewer is who a request acts for.
type Viewer struct {
	UserID   int
	Username string
	Role     Role
	// Scope is the region code of the subtree a region role covers; empty
	// for a national admin (and for partners, who are scoped by
	// InstitutionID instead).
	Scope         string
	InstitutionID int
	// PersonalData grants the reveal of phone and ID numbers in the scope.
	PersonalData bool
	// SessionID is the session the request authenticated with (0 for none).
	SessionID int
	// RequestID ties audit entries to the request log.
	RequestID string
	// ClientIP keys the login rate limit.
	ClientIP string

	system bool
}

// System reports whether the viewer is the system itself (commands, the
// demo, migrations, test fixtures): allowed everything.
func (v *Viewer) System() bool { return v != nil && v.system }

// Anonymous reports whether nobody is signed in.
func (v *Viewer) Anonymous() bool { return v == nil || (!v.system && v.UserID == 0) }

// Is reports whether the viewer is a signed-in user with one of roles.
func (v *Viewer) Is(roles ...Role) bool {
	if v.Anonymous() || v.system {
		return false
	}
	for _, r := range roles {
		if v.Role == r {
			return true
		}
	}
	return false
}

// Regional reports whether the viewer's role is scoped by a region subtree
// (admin, township, village).
func (v *Viewer) Regional() bool { return v.Is(RoleAdmin, RoleTownship, RoleVillage) }

// Covers reports whether the region with code lies in the viewer's subtree
// (the system covers everything; partners and anonymous viewers nothing).
// Codes are prefix paths, so the subtree is the codes starting with Scope.
func (v *Viewer) Covers(code string) bool {
	if v.System() {
		return true
	}
	if !v.Regional() || code == "" {
		return false
	}
	return strings.HasPrefix(code, v.Scope)
}

// Name is how audit entries name the actor.
func (v *Viewer) Name() string {
	switch {
	case v.System():
		return "system"
	case v.Anonymous():
		return "anonymous"
	}
	return v.Username
}

type viewerKey struct{}

// NewContext returns ctx acting for v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the viewer of ctx; a context without one is
// anonymous (nil), so that a forgotten viewer fails closed.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}

var systemViewer = &Viewer{Username: "system", system: true}

// System returns ctx acting as the system: every privacy rule allows it.
// For commands, the demo, migrations and test fixtures — never for a
// request.
func System(ctx context.Context) context.Context { return NewContext(ctx, systemViewer) }

// ErrUnauthenticated is the answer to an anonymous caller of something that
// needs an account.
func ErrUnauthenticated() error {
	return errcode.New(errcode.Unauthenticated, "sign in first / 请先登录")
}

// ErrForbidden is the answer to a signed-in caller whose role or scope does
// not allow what they asked.
func ErrForbidden() error {
	return errcode.New(errcode.Forbidden, "your role does not allow this here / 您的角色无权在此范围内执行该操作")
}

// Deny is the refusal fitting the viewer: UNAUTHENTICATED for nobody,
// FORBIDDEN for a user.
func Deny(v *Viewer) error {
	if v.Anonymous() {
		return ErrUnauthenticated()
	}
	return ErrForbidden()
}

// RequireScope checks that the viewer's role is one of roles and covers the
// region with code.
func RequireScope(ctx context.Context, code string, roles ...Role) error {
	v := FromContext(ctx)
	if v.System() {
		return nil
	}
	if !v.Is(roles...) || !v.Covers(code) {
		return Deny(v)
	}
	return nil
}
