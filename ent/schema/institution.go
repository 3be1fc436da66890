package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Institution is a sending unit or partner (派出单位/合作高校) that employs experts.
type Institution struct{ ent.Schema }

func (Institution) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Institution) Fields() []ent.Field {
	return []ent.Field{
		// 机构编号 from the roster.
		field.String("external_id").Optional().Nillable().MaxLen(64).Unique(),
		field.String("name").NotEmpty().MaxLen(128).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("kind").
			Values("UNIVERSITY", "RESEARCH_INSTITUTE", "ENTERPRISE", "HOSPITAL", "SCHOOL", "GOVERNMENT", "OTHER").
			Annotations(entgql.OrderField("KIND")),
		field.Int("region_id").Optional().Nillable(),
	}
}

func (Institution) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("institutions").Field("region_id").Unique(),
		edge.To("experts", Person.Type).Annotations(entgql.RelayConnection()),
		edge.To("dispatched_posts", Post.Type).Annotations(entgql.RelayConnection()),
		// Partner accounts bound to the institution.
		edge.To("users", User.Type).Annotations(entgql.Skip()),
	}
}

func (Institution) Indexes() []ent.Index {
	return []ent.Index{index.Fields("name"), index.Fields("region_id"), index.Fields("kind")}
}

func (Institution) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
