package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Mentorship is a mentoring pair (结对帮带). Mentees become mentors in turn,
// so mentorships form lineages; a pair that would close a cycle is rejected.
type Mentorship struct{ ent.Schema }

func (Mentorship) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}}
}

func (Mentorship) Fields() []ent.Field {
	return []ent.Field{
		field.String("external_id").Optional().Nillable().MaxLen(64),
		field.Int("mentor_id").Immutable(),
		field.Int("mentee_id").Immutable(),
		field.Enum("program").
			Values(
				"QINGLAN",        // 青蓝结对
				"TUTOR",          // 导师帮带
				"APPRENTICESHIP", // 师带徒
				"X_PLUS_N",       // x+N
				"SHADOWING",      // 跟班学习
			).
			Annotations(entgql.OrderField("PROGRAM")),
		field.Int("region_id").Optional().Nillable(),
		field.Enum("status").Values("ACTIVE", "COMPLETED", "DISSOLVED").Default("ACTIVE").
			Annotations(entgql.OrderField("STATUS")),
		field.Text("goals").Optional(),
		field.Text("outcome").Optional(),
	}
}

func (Mentorship) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("mentor", Person.Type).Ref("mentorships_as_mentor").Field("mentor_id").Unique().Required().Immutable(),
		edge.From("mentee", Person.Type).Ref("mentorships_as_mentee").Field("mentee_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("mentorships").Field("region_id").Unique(),
	}
}

func (Mentorship) Indexes() []ent.Index {
	return []ent.Index{index.Fields("external_id"),
		index.Fields("mentor_id"),
		index.Fields("mentee_id"),
		index.Fields("region_id"),
		index.Fields("status"),
		index.Fields("program"),
	}
}

func (Mentorship) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (Mentorship) Hooks() []ent.Hook {
	return []ent.Hook{checkMentorship, mentorshipPlaces, mentorshipFigures}
}
