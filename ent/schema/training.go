package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// TrainingClass is one class of cadre training (培训班次): a 书记培训班, a
// year of the 雏鹰计划, a 蹲点学习 trip, a 学历提升班, 跟班学习 at a model
// village, a 名师工作室. It belongs to the region that organizes it.
type TrainingClass struct{ ent.Schema }

func (TrainingClass) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (TrainingClass) Fields() []ent.Field {
	return []ent.Field{
		field.Int("region_id").Immutable(),
		field.String("name").NotEmpty().MaxLen(128).Annotations(entgql.OrderField("NAME")),
		field.Enum("kind").
			Values(
				"SECRETARY_TRAINING", // 村书记培训班
				"YOUNG_EAGLE",        // 雏鹰计划
				"ON_SITE_STUDY",      // 蹲点学习
				"DEGREE_PROGRAM",     // 学历提升班
				"SHADOWING",          // 跟班学习
				"MASTER_STUDIO",      // 名师工作室
				"OTHER",              // 其他
			).
			Annotations(entgql.OrderField("KIND")),
		// Who runs it (区委组织部, 浙江大学 …) and where.
		field.String("organizer").Optional().MaxLen(128),
		field.String("place").Optional().MaxLen(128),
		asDate(field.Time("starts_on")).Annotations(entgql.OrderField("STARTS_ON")),
		asDate(field.Time("ends_on")).Optional().Nillable().Annotations(entgql.OrderField("ENDS_ON")),
		// 学时 credited to a trainee who completes it.
		field.Float("hours").Optional().Nillable(),
		field.Text("notes").Optional(),
	}
}

func (TrainingClass) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("training_classes").Field("region_id").Unique().Required().Immutable(),
		edge.To("enrolments", TrainingEnrolment.Type).Annotations(entgql.RelayConnection()),
	}
}

func (TrainingClass) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region_id", "starts_on"), index.Fields("starts_on"), index.Fields("kind")}
}

func (TrainingClass) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// TrainingEnrolment is a person's place in a class: whether they
// completed it, the hours credited and the result (结业, 优秀学员 …). It is
// recorded in the region where the trainee serves, which scopes it beside
// the class's own region.
type TrainingEnrolment struct{ ent.Schema }

func (TrainingEnrolment) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (TrainingEnrolment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("class_id").Immutable(),
		field.Int("person_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.Bool("completed").Default(false),
		// Hours credited; a completed enrolment without them is credited the
		// class's hours.
		field.Float("hours").Optional().Nillable(),
		field.String("result").Optional().MaxLen(256),
	}
}

func (TrainingEnrolment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("class", TrainingClass.Type).Ref("enrolments").Field("class_id").Unique().Required().Immutable(),
		edge.From("person", Person.Type).Ref("training_enrolments").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("training_enrolments").Field("region_id").Unique().Required().Immutable(),
	}
}

func (TrainingEnrolment) Indexes() []ent.Index {
	return []ent.Index{
		// A person is enrolled in a class once.
		index.Fields("class_id", "person_id").Unique().StorageKey("training_enrolment_class_person"),
		index.Fields("person_id"),
		index.Fields("region_id"),
	}
}

func (TrainingEnrolment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
