package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/audit"
	"yanzhen/errcode"
)

// AuditLog records one thing done to the graph: who, when, what, to which
// objects, and for updates the changed fields before and after (personal
// data masked). Entries are written in the transaction of what they record
// and are never changed or deleted.
type AuditLog struct{ ent.Schema }

func (AuditLog) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(timeNow).Immutable().
			Annotations(entgql.OrderField("AT")),
		field.Int("actor_id").Optional().Nillable().Immutable(),
		// The actor's username at the time ("system" for commands).
		field.String("actor_name").Immutable(),
		field.Enum("action").
			Values("CREATE", "UPDATE", "DELETE", "IMPORT", "EXPORT", "REVEAL",
				"LOGIN", "LOGIN_FAILED", "LOGOUT", "REVOKE_SESSIONS",
				// A person on file outside the viewer's scope, brought in by
				// full ID number and name (introducePerson) to be linked.
				"INTRODUCE").
			Immutable(),
		// The GraphQL type of the objects (Person, Post …); empty for
		// logins and whole-roster operations.
		field.String("entity_type").Optional().Immutable(),
		field.JSON("object_ids", []int{}).Optional().Immutable().
			Annotations(entgql.Type("[ID!]"), entgql.Skip(entgql.SkipWhereInput)),
		// The region the entry concerns, for scoping who may read it.
		field.String("region_code").Optional().Immutable(),
		field.JSON("before", map[string]any{}).Optional().Immutable().
			Annotations(entgql.Type("Map"), entgql.Skip(entgql.SkipWhereInput)),
		field.JSON("after", map[string]any{}).Optional().Immutable().
			Annotations(entgql.Type("Map"), entgql.Skip(entgql.SkipWhereInput)),
		field.String("request_id").Optional().Immutable(),
		field.String("reason").Optional().Immutable(),
	}
}

func (AuditLog) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("actor", User.Type).Ref("audit_logs").Field("actor_id").Unique().Immutable(),
	}
}

func (AuditLog) Indexes() []ent.Index {
	return []ent.Index{index.Fields("at"), index.Fields("region_code", "at"), index.Fields("actor_id")}
}

func (AuditLog) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

// Entries are masked again as they are read (audit.Remask), so that an
// entry written under an older, weaker mask is shown as a new one would be.
func (AuditLog) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{audit.Remask()}
}

// The log is append-only: no writer, not even the system, changes or
// deletes an entry.
func (AuditLog) Hooks() []ent.Hook {
	return []ent.Hook{func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if !m.Op().Is(ent.OpCreate) {
				return nil, errcode.New(errcode.Forbidden, "the audit log is append-only / 审计日志不可修改或删除")
			}
			return next.Mutate(ctx, m)
		})
	}}
}
