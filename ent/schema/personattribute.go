package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PersonAttribute is one period of a dated attribute of a person: the
// education, political status or professional title they had from
// valid_from (open: since ever) until valid_until (open: still), or a tag
// they carried over that period. The person's own columns hold today's
// values; the rows exist only once something changed, so a statistic of a
// past day reads the period covering it and falls back to the column for
// people whose attribute never changed (insight's attributeAt).
//
// A change (学历提升: a new degree from a date on) closes the current period
// and opens another; a correction (a typo) rewrites a period's value in
// place and marks it corrected, so that the past reads the right value too.
// Both are audited.
type PersonAttribute struct{ ent.Schema }

func (PersonAttribute) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (PersonAttribute) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Enum("attribute").
			Values("EDUCATION", "POLITICAL_STATUS", "PROFESSIONAL_TITLE", "TAG").
			Immutable(),
		// The value in the words of the person's own field: an education or
		// political-status enum value, a title, a tag code; empty for none.
		field.String("value").MaxLen(64),
		asDate(field.Time("valid_from")).Optional().Nillable().Annotations(entgql.OrderField("VALID_FROM")),
		asDate(field.Time("valid_until")).Optional().Nillable(),
		// 入党日期, for a political-status period of party membership.
		asDate(field.Time("party_join_date")).Optional().Nillable(),
		// Why it changed (取得本科学历，国家开放大学) or what was corrected.
		field.String("note").Optional().MaxLen(256),
		// When the value was last corrected in place; absent for values
		// written once.
		field.Time("corrected_at").Optional().Nillable(),
	}
}

func (PersonAttribute) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("attribute_history").Field("person_id").Unique().Required().Immutable(),
	}
}

func (PersonAttribute) Indexes() []ent.Index {
	return []ent.Index{index.Fields("person_id", "attribute", "valid_from")}
}

func (PersonAttribute) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// Written by changePersonAttribute and correctPersonAttribute, read
		// through Person.attributeHistory.
		entgql.Skip(entgql.SkipWhereInput),
	}
}
