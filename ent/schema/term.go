package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Term is a county's term of the village committees (届), opened by its
// 换届 election. A post belongs to the term in force on the day it was
// taken (insight.TermOf): the terms of a county are ordered by their
// election dates and each lasts until the next. The term comparison
// (insight.CompareTerms) sets the structure of the teams elected at one
// 换届 beside the previous one's.
type Term struct{ ent.Schema }

func (Term) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Term) Fields() []ent.Field {
	return []ent.Field{
		// The county whose villages elected.
		field.Int("region_id").Immutable(),
		// 届次 as the county counts them (第十二届), when it does.
		field.Int("number").Optional().Nillable().Positive(),
		// What reports call it: 2021年村“两委”换届.
		field.String("name").NotEmpty().MaxLen(64).Annotations(entgql.OrderField("NAME")),
		// The day the county's 换届 was completed; the term runs from it.
		asDate(field.Time("elected_on")).Annotations(entgql.OrderField("ELECTED_ON")),
		field.Text("notes").Optional(),
	}
}

func (Term) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("terms").Field("region_id").Unique().Required().Immutable(),
		edge.To("candidacies", Candidacy.Type).Annotations(entgql.RelayConnection()),
	}
}

func (Term) Indexes() []ent.Index {
	return []ent.Index{
		// One election per county and day; the hook says so first.
		index.Fields("region_id", "elected_on").Unique().StorageKey("term_county_elected_on"),
		index.Fields("elected_on"),
	}
}

func (Term) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
