package schema

// The records of a cadre's file beyond posts (issue 13): rewards and
// punishments (奖惩), the yearly star ratings of village party organizations
// (星级评定) and the audits of a secretary's term (届中审计 / 离任审计).
// Each belongs to a region, and the viewer's scope follows that region, as
// for posts.

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Reward is one reward or punishment (奖惩) of a person, recorded in the
// region where they serve.
type Reward struct{ ent.Schema }

func (Reward) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Reward) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.Enum("kind").
			Values(
				"REWARD",     // 奖励
				"PUNISHMENT", // 惩处
			).
			Annotations(entgql.OrderField("KIND")),
		// What it is, in the words of the decision: 先进个人, 优秀党务工作者,
		// 通报批评, 警告 … (no closed list: every level names its own honours).
		field.String("title").NotEmpty().MaxLen(64),
		// The level of the body that decided it.
		field.Enum("level").
			Values(
				"NATIONAL", // 国家级
				"PROVINCE", // 省级
				"CITY",     // 市级
				"COUNTY",   // 县级
				"TOWNSHIP", // 乡级
			).
			Annotations(entgql.OrderField("LEVEL")),
		asDate(field.Time("date")).Annotations(entgql.OrderField("DATE")),
		// A cash award (奖金), in yuan.
		field.Int64("amount_yuan").Optional().Nillable().NonNegative(),
		// 文号 of the decision.
		field.String("document_no").Optional().MaxLen(64),
		field.Text("notes").Optional(),
	}
}

func (Reward) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("rewards").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("rewards").Field("region_id").Unique().Required().Immutable(),
	}
}

func (Reward) Indexes() []ent.Index {
	return []ent.Index{index.Fields("person_id", "date"), index.Fields("region_id", "date"), index.Fields("date")}
}

func (Reward) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// StarRating is the star rating (星级评定) of a village's party organization
// for one year: one per village and year.
type StarRating struct{ ent.Schema }

func (StarRating) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (StarRating) Fields() []ent.Field {
	return []ent.Field{
		field.Int("village_id").Immutable(),
		// The year rated (checked against the current year by the hook).
		field.Int("year").Annotations(entgql.OrderField("YEAR")),
		field.Int("stars").Range(1, 5).Annotations(entgql.OrderField("STARS")),
		// The title that comes with it: 示范村, 五星级党组织 …
		field.String("title").Optional().MaxLen(64),
		// The body that rated (县委组织部 …).
		field.String("rated_by").Optional().MaxLen(128),
		asDate(field.Time("date")).Optional().Nillable().Annotations(entgql.OrderField("DATE")),
	}
}

func (StarRating) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("village", Region.Type).Ref("star_ratings").Field("village_id").Unique().Required().Immutable(),
	}
}

func (StarRating) Indexes() []ent.Index {
	return []ent.Index{
		// One rating per village and year; the hook says so first, the
		// index settles two writers racing.
		index.Fields("village_id", "year").Unique().StorageKey("star_rating_village_year"),
		index.Fields("year"),
	}
}

func (StarRating) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// OfficeAudit is an audit of a village secretary's term (届中审计, 离任审计)
// or a special audit (专项审计), with its findings and their rectification.
type OfficeAudit struct{ ent.Schema }

func (OfficeAudit) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (OfficeAudit) Fields() []ent.Field {
	return []ent.Field{
		field.Int("region_id").Immutable(),
		// The secretary audited, when the audit concerns one.
		field.Int("person_id").Optional().Nillable(),
		field.Enum("kind").
			Values(
				"MID_TERM",  // 届中审计
				"DEPARTURE", // 离任审计
				"SPECIAL",   // 专项审计
			).
			Annotations(entgql.OrderField("KIND")),
		asDate(field.Time("date")).Annotations(entgql.OrderField("DATE")),
		field.Text("findings").NotEmpty(),
		field.Text("follow_up").Optional(),
		field.Enum("status").
			Values(
				"OPEN",      // 整改中
				"RECTIFIED", // 已整改
			).
			Default("OPEN").
			Annotations(entgql.OrderField("STATUS")),
	}
}

func (OfficeAudit) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("office_audits").Field("region_id").Unique().Required().Immutable(),
		edge.From("person", Person.Type).Ref("office_audits").Field("person_id").Unique(),
	}
}

func (OfficeAudit) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region_id", "date"), index.Fields("person_id"), index.Fields("date")}
}

func (OfficeAudit) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
