package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/vocab"
)

// ExpertAssignment sends an expert as science-and-technology commissioner
// (科技特派员) to a county, township or village for a period.
type ExpertAssignment struct{ ent.Schema }

func (ExpertAssignment) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}}
}

func (ExpertAssignment) Fields() []ent.Field {
	return []ent.Field{
		field.String("external_id").Optional().Nillable().MaxLen(64),
		field.Int("expert_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.JSON("fields", []vocab.AgriculturalField{}).Optional().
			Annotations(entgql.Type("[AgriculturalField!]"), entgql.Skip(entgql.SkipWhereInput)),
		// 合作任务书 signed.
		field.Bool("agreement_signed").Default(false),
		field.Int64("annual_subsidy_yuan").Default(0).NonNegative(),
		// The demand this assignment answers, when it came from 两单合一 matching.
		field.Int("demand_id").Optional().Nillable(),
		field.String("confirmed_by").Optional().MaxLen(64).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("confirmed_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (ExpertAssignment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("expert", Person.Type).Ref("expert_assignments").Field("expert_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("expert_assignments").Field("region_id").Unique().Required().Immutable(),
		edge.From("demand", Demand.Type).Ref("assignments").Field("demand_id").Unique(),
		edge.To("service_records", ServiceRecord.Type).Annotations(entgql.RelayConnection()),
		edge.To("contributions", Contribution.Type).Annotations(entgql.RelayConnection()),
		edge.To("agreements", ExpertAgreement.Type).Annotations(entgql.RelayConnection()),
	}
}

func (ExpertAssignment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("external_id"), index.Fields("expert_id"), index.Fields("region_id"), index.Fields("demand_id")}
}

func (ExpertAssignment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (ExpertAssignment) Hooks() []ent.Hook {
	return []ent.Hook{checkExpertAssignment, assignmentPlaces, assignmentFigures}
}

// ServiceRecord is one piece of work an expert did under an assignment.
type ServiceRecord struct{ ent.Schema }

func (ServiceRecord) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (ServiceRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Int("assignment_id").Immutable(),
		asDate(field.Time("date")).Annotations(entgql.OrderField("DATE")),
		field.Enum("kind").
			Values(
				"SURVEY",      // 实地调研
				"GUIDANCE",    // 技术指导
				"TRAINING",    // 培训
				"DOCTOR_FARM", // 博士农场
				"OTHER",
			),
		field.Int("beneficiaries").Default(0).NonNegative(),
		field.Text("notes").Optional(),
	}
}

func (ServiceRecord) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assignment", ExpertAssignment.Type).Ref("service_records").Field("assignment_id").Unique().Required().Immutable(),
	}
}

func (ServiceRecord) Hooks() []ent.Hook {
	return []ent.Hook{checkServiceRecord, serviceRecordFigures}
}

func (ServiceRecord) Indexes() []ent.Index {
	return []ent.Index{index.Fields("assignment_id", "date"), index.Fields("date")}
}

func (ServiceRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Demand is one item of a region's need list (需求清单).
type Demand struct{ ent.Schema }

func (Demand) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Demand) Fields() []ent.Field {
	return []ent.Field{
		field.String("external_id").Optional().Nillable().MaxLen(64),
		field.Int("region_id").Immutable(),
		// A code of the agricultural-field vocabulary (national or an
		// area's own), checked by the hook against the writer's vocabulary.
		field.String("field").GoType(vocab.AgriculturalField("")).MaxLen(48).
			Annotations(entgql.Type("AgriculturalField"), entgql.OrderField("FIELD")),
		field.Text("description").NotEmpty(),
		field.Enum("status").Values("OPEN", "MATCHED", "DONE").Default("OPEN").
			Annotations(entgql.OrderField("STATUS")),
		asDate(field.Time("raised_on")).Default(today).
			Annotations(entgql.OrderField("RAISED_ON")),
		asDate(field.Time("closed_on")).Optional().Nillable(),
	}
}

func (Demand) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("demands").Field("region_id").Unique().Required().Immutable(),
		edge.To("assignments", ExpertAssignment.Type).Annotations(entgql.RelayConnection()),
	}
}

func (Demand) Indexes() []ent.Index {
	return []ent.Index{index.Fields("external_id"), index.Fields("region_id"), index.Fields("field"), index.Fields("status", "raised_on")}
}

func (Demand) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (Demand) Hooks() []ent.Hook { return []ent.Hook{checkDemand, demandFigures} }

func today() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

// Contribution is a result credited to an adviser appointment or an expert
// assignment (招商信息, 考察, 项目落地, 资金到村).
type Contribution struct{ ent.Schema }

func (Contribution) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Contribution) Fields() []ent.Field {
	return []ent.Field{
		field.String("external_id").Optional().Nillable().MaxLen(64),
		field.Enum("kind").
			Values(
				"INVESTMENT_LEAD", // 招商信息
				"SITE_VISIT",      // 考察
				"PROJECT_LANDED",  // 项目落地
				"FUNDS",           // 资金到村
			).
			Annotations(entgql.OrderField("KIND")),
		field.Int64("amount_yuan").Default(0).NonNegative(),
		asDate(field.Time("date")).Annotations(entgql.OrderField("DATE")),
		field.Text("description").Optional(),
		field.Int("village_id").Immutable(),
		field.Int("appointment_id").Optional().Nillable().Immutable(),
		field.Int("assignment_id").Optional().Nillable().Immutable(),
		// The step of the outcome chain this one follows from: a site visit
		// from its lead, a project from its visit, funds from their project.
		field.Int("follows_id").Optional().Nillable(),
	}
}

func (Contribution) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("village", Region.Type).Ref("contributions").Field("village_id").Unique().Required().Immutable(),
		edge.From("appointment", AdviserAppointment.Type).Ref("contributions").Field("appointment_id").Unique().Immutable(),
		edge.From("assignment", ExpertAssignment.Type).Ref("contributions").Field("assignment_id").Unique().Immutable(),
		edge.To("followed_by", Contribution.Type).From("follows").Field("follows_id").Unique(),
	}
}

func (Contribution) Indexes() []ent.Index {
	return []ent.Index{index.Fields("external_id"),
		index.Fields("village_id", "date"), index.Fields("appointment_id"), index.Fields("assignment_id"),
		index.Fields("kind"), index.Fields("date"),
	}
}

func (Contribution) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (Contribution) Hooks() []ent.Hook {
	return []ent.Hook{checkContribution, checkOutcomeChain, contributionFigures}
}
