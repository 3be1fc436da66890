package schema

import (
	"context"
	"fmt"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/privacy"
	"yanzhen/ent/session"
	"yanzhen/ent/user"
)

// AuthEpoch is one row counting the changes that end or narrow
// sign-ins: a session revoked, shortened or deleted; an account disabled,
// deleted, or given another role, scope, institution, grant or password.
// The hooks below advance it in the transaction of the change. Every server
// process caches resolved sessions for a short while (accounts.Sessions)
// and reads this one number at most once a second: when it has moved, the
// process forgets its cache. So several processes share no memory, and a
// change reaches all of them within that second (docs/performance.md).
type AuthEpoch struct{ ent.Schema }

func (AuthEpoch) Fields() []ent.Field {
	return []ent.Field{field.Int64("epoch").Default(0)}
}

func (AuthEpoch) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll), entsql.Table("auth_epochs")}
}

// Only the hooks (with an internal decision) and the system touch it.
func (AuthEpoch) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}

func (User) Hooks() []ent.Hook { return []ent.Hook{userSignInsChange} }

func (Session) Hooks() []ent.Hook { return []ent.Hook{sessionSignInsChange} }

// viewerFields are the fields of a user a signed-in viewer is made of
// (accounts.ViewerOf) or that end its sessions.
var viewerFields = []string{
	user.FieldRole, user.FieldRegionCode, user.FieldInstitutionID, user.FieldPersonalDataAccess,
	user.FieldDisabled, user.FieldPasswordHash,
}

func userSignInsChange(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		um, ok := m.(*gen.UserMutation)
		if ok && (m.Op().Is(ent.OpDelete|ent.OpDeleteOne) || m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && touches(m, viewerFields...)) {
			if err := advanceAuthEpoch(ctx, um.Client()); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}

func sessionSignInsChange(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		sm, ok := m.(*gen.SessionMutation)
		if ok && (m.Op().Is(ent.OpDelete|ent.OpDeleteOne) || m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && touches(m, session.FieldRevokedAt, session.FieldExpiresAt)) {
			if err := advanceAuthEpoch(ctx, sm.Client()); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}

// touches reports whether m sets or clears one of fields.
func touches(m ent.Mutation, fields ...string) bool {
	for _, f := range fields {
		if _, set := m.Field(f); set || m.FieldCleared(f) {
			return true
		}
	}
	return false
}

// advanceAuthEpoch tells this process's session cache (through ctx) and,
// in the change's own transaction, every other process. The row is made by
// the migration; should it be missing, the first change makes it (and
// should two processes race to make it, every change advances both rows and
// readers take the largest).
func advanceAuthEpoch(ctx context.Context, c *gen.Client) error {
	auth.SignInsChanging(ctx)
	ictx := privacy.DecisionContext(ctx, privacy.Allow)
	n, err := c.AuthEpoch.Update().AddEpoch(1).Save(ictx)
	if err == nil && n == 0 {
		err = c.AuthEpoch.Create().SetEpoch(1).Exec(ictx)
	}
	if err != nil {
		return fmt.Errorf("advancing the auth epoch: %w", err)
	}
	return nil
}
