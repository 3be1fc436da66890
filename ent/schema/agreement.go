package schema

// What binds an expert to the places they serve (保定's practice, seed 003):
// the 合作任务书 signed with them, the yearly subsidy paid to each, and the
// 博士农场 funded for several years. Each belongs to the region that signs
// or pays; the expert's partner university sees its own experts'.

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ExpertAgreement is a 合作任务书: the parties, what the expert undertakes,
// the targets, the period and the expert's share of the proceeds.
type ExpertAgreement struct{ ent.Schema }

func (ExpertAgreement) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}}
}

func (ExpertAgreement) Fields() []ent.Field {
	return []ent.Field{
		field.Int("expert_id").Immutable(),
		// The region that signs (a county, township or village).
		field.Int("region_id").Immutable(),
		field.Int("assignment_id").Optional().Nillable(),
		field.String("title").NotEmpty().MaxLen(128).Annotations(entgql.OrderField("TITLE")),
		// The parties in their own names (甲方 …, 乙方 …).
		field.String("parties").Optional().MaxLen(256),
		field.Text("content").Optional(),
		field.Text("targets").Optional(),
		// The expert's share of the proceeds, in per cent.
		field.Float("proceeds_share_percent").Optional().Nillable().Min(0).Max(100),
		asDate(field.Time("signed_on")).Optional().Nillable().Annotations(entgql.OrderField("SIGNED_ON")),
		field.Text("notes").Optional(),
	}
}

func (ExpertAgreement) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("expert", Person.Type).Ref("expert_agreements").Field("expert_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("expert_agreements").Field("region_id").Unique().Required().Immutable(),
		edge.From("assignment", ExpertAssignment.Type).Ref("agreements").Field("assignment_id").Unique(),
		edge.To("subsidy_payments", SubsidyPayment.Type).Annotations(entgql.RelayConnection()),
	}
}

func (ExpertAgreement) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expert_id"), index.Fields("region_id")}
}

func (ExpertAgreement) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// SubsidyPayment is a yearly subsidy paid to an expert by a region.
type SubsidyPayment struct{ ent.Schema }

func (SubsidyPayment) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (SubsidyPayment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("expert_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.Int("agreement_id").Optional().Nillable(),
		field.Int("year").Annotations(entgql.OrderField("YEAR")),
		field.Int64("amount_yuan").NonNegative().Annotations(entgql.OrderField("AMOUNT")),
		asDate(field.Time("paid_on")).Optional().Nillable(),
		field.Text("notes").Optional(),
	}
}

func (SubsidyPayment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("expert", Person.Type).Ref("subsidy_payments").Field("expert_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("subsidy_payments").Field("region_id").Unique().Required().Immutable(),
		edge.From("agreement", ExpertAgreement.Type).Ref("subsidy_payments").Field("agreement_id").Unique(),
	}
}

func (SubsidyPayment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expert_id", "year"), index.Fields("region_id", "year")}
}

func (SubsidyPayment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// DoctorFarm is a 博士农场: an expert's demonstration farm in a village,
// funded each year for a number of years.
type DoctorFarm struct{ ent.Schema }

func (DoctorFarm) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (DoctorFarm) Fields() []ent.Field {
	return []ent.Field{
		field.Int("expert_id").Immutable(),
		field.Int("village_id").Immutable(),
		field.String("name").NotEmpty().MaxLen(128).Annotations(entgql.OrderField("NAME")),
		asDate(field.Time("founded_on")).Annotations(entgql.OrderField("FOUNDED_ON")),
		field.Int64("yearly_funding_yuan").Default(0).NonNegative(),
		field.Int("years_funded").Default(1).NonNegative(),
		field.Text("notes").Optional(),
	}
}

func (DoctorFarm) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("expert", Person.Type).Ref("doctor_farms").Field("expert_id").Unique().Required().Immutable(),
		edge.From("village", Region.Type).Ref("doctor_farms").Field("village_id").Unique().Required().Immutable(),
	}
}

func (DoctorFarm) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expert_id"), index.Fields("village_id")}
}

func (DoctorFarm) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
