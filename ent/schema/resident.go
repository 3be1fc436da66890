package schema

// Resident work teams (驻村工作队) and the 片区 that group villages and their
// teams under a 临时党支部, and the assessments of resident cadres (平时 /
// 年度 / 期满). The cadres themselves hold FIRST_SECRETARY and
// WORK_TEAM_MEMBER posts in the village; a post names its team.

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ResidentTeam is one 驻村工作队 in one village for one period.
type ResidentTeam struct{ ent.Schema }

func (ResidentTeam) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}}
}

func (ResidentTeam) Fields() []ent.Field {
	return []ent.Field{
		field.Int("village_id").Immutable(),
		field.String("name").Optional().MaxLen(128).Annotations(entgql.OrderField("NAME")),
		// The team leader, usually the first secretary.
		field.Int("leader_id").Optional().Nillable(),
		// The level of the organization department that dispatched it.
		field.Enum("dispatch_level").
			Values("PROVINCE", "CITY", "COUNTY", "TOWNSHIP").
			Annotations(entgql.OrderField("DISPATCH_LEVEL")),
		// The units that sent its members (派出单位), in their own names.
		field.Strings("sending_units").Optional(),
		field.Int("area_id").Optional().Nillable(),
		field.Text("notes").Optional(),
	}
}

func (ResidentTeam) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("village", Region.Type).Ref("resident_teams").Field("village_id").Unique().Required().Immutable(),
		edge.From("leader", Person.Type).Ref("led_resident_teams").Field("leader_id").Unique(),
		edge.From("area", ResidentArea.Type).Ref("teams").Field("area_id").Unique(),
		edge.To("members", Post.Type).Annotations(entgql.RelayConnection()),
		edge.To("assessments", ResidentAssessment.Type).Annotations(entgql.RelayConnection()),
	}
}

func (ResidentTeam) Indexes() []ent.Index {
	return []ent.Index{index.Fields("village_id"), index.Fields("area_id"), index.Fields("dispatch_level")}
}

func (ResidentTeam) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// ResidentArea is a 片区: villages of a county (or township) and their
// teams grouped under a 临时党支部 whose secretary is the 片区's 组长.
type ResidentArea struct{ ent.Schema }

func (ResidentArea) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}}
}

func (ResidentArea) Fields() []ent.Field {
	return []ent.Field{
		// The county or township that set it up.
		field.Int("region_id").Immutable(),
		field.String("name").NotEmpty().MaxLen(128).Annotations(entgql.OrderField("NAME")),
		// The 临时党支部's name.
		field.String("party_branch").Optional().MaxLen(128),
		// The 组长, who is the 临时党支部书记.
		field.Int("leader_id").Optional().Nillable(),
		field.Text("notes").Optional(),
	}
}

func (ResidentArea) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("resident_areas").Field("region_id").Unique().Required().Immutable(),
		edge.From("leader", Person.Type).Ref("led_resident_areas").Field("leader_id").Unique(),
		edge.To("villages", Region.Type).Annotations(entgql.RelayConnection()),
		edge.To("teams", ResidentTeam.Type).Annotations(entgql.RelayConnection()),
	}
}

func (ResidentArea) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region_id", "name")}
}

func (ResidentArea) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// ResidentAssessment is one assessment of a resident cadre: 平时 (a
// quarter or a month), 年度 or 期满, with its grade. It belongs to the
// village where the cadre serves.
type ResidentAssessment struct{ ent.Schema }

func (ResidentAssessment) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (ResidentAssessment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.Int("team_id").Optional().Nillable(),
		field.Enum("kind").
			Values(
				"ROUTINE",     // 平时考核
				"ANNUAL",      // 年度考核
				"END_OF_TERM", // 期满考核
			).
			Annotations(entgql.OrderField("KIND")),
		field.Int("year").Annotations(entgql.OrderField("YEAR")),
		// Within the year, for routine assessments: 1–4 (quarter) or empty.
		field.Int("period").Optional().Nillable(),
		field.Enum("grade").
			Values("EXCELLENT", "COMPETENT", "BASICALLY_COMPETENT", "INCOMPETENT").
			Annotations(entgql.OrderField("GRADE")),
		field.String("assessed_by").Optional().MaxLen(128),
		asDate(field.Time("assessed_on")).Optional().Nillable(),
		field.Text("notes").Optional(),
	}
}

func (ResidentAssessment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("resident_assessments").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("resident_assessments").Field("region_id").Unique().Required().Immutable(),
		edge.From("team", ResidentTeam.Type).Ref("assessments").Field("team_id").Unique(),
	}
}

func (ResidentAssessment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("person_id", "kind", "year", "period"),
		index.Fields("region_id", "year"),
		index.Fields("team_id"),
	}
}

func (ResidentAssessment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
