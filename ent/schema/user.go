package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// User is an account: who may sign in, with which role, over which region
// subtree (or, for a partner, which institution). Users are disabled, never
// deleted, so the audit log keeps naming them.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (User) Fields() []ent.Field {
	internal := entgql.Skip()
	return []ent.Field{
		field.String("username").NotEmpty().MaxLen(64).Unique().Immutable().
			Annotations(entgql.OrderField("USERNAME")),
		// argon2id in the PHC format (auth.HashPassword).
		field.String("password_hash").Sensitive().Annotations(internal),
		field.Enum("role").Values("ADMIN", "TOWNSHIP", "VILLAGE", "PARTNER"),
		// The region code of the subtree the role covers; empty for a
		// national admin and for partners.
		field.String("region_code").Optional().MaxLen(12).Match(digitsOrEmpty),
		field.Int("institution_id").Optional().Nillable(),
		// Granted by an admin: may reveal phone and ID numbers in the scope.
		field.Bool("personal_data_access").Default(false),
		field.Bool("disabled").Default(false),
		// Consecutive failed logins; at the limit the account is locked
		// until locked_until.
		field.Int("failed_logins").Default(0).Annotations(internal),
		field.Time("locked_until").Optional().Nillable().Annotations(internal),
		field.Time("last_login_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("institution", Institution.Type).Ref("users").Field("institution_id").Unique(),
		edge.To("sessions", Session.Type).Annotations(entgql.Skip()),
		edge.To("audit_logs", AuditLog.Type).Annotations(entgql.Skip()),
		edge.To("import_jobs", ImportJob.Type).Annotations(entgql.Skip()),
	}
}

func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region_code"), index.Fields("institution_id")}
}

func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}

// Session is one sign-in: the bearer token is stored only as its SHA-256
// hash; the session ends at expires_at or when revoked.
type Session struct{ ent.Schema }

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Sensitive().NotEmpty().Unique().Immutable(),
		field.Int("user_id").Immutable(),
		field.Time("created_at").Default(timeNow).Immutable(),
		field.Time("expires_at"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Field("user_id").Unique().Required().Immutable(),
	}
}

func (Session) Indexes() []ent.Index { return []ent.Index{index.Fields("user_id")} }

func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
