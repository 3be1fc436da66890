package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
)

// PersonPlace is one region through which a person belongs to the region
// subtrees that hold it: their home village, and the region of each post,
// adviser appointment, expert assignment and mentorship (as mentor or
// mentee) they have or had. A regional viewer's rule for people
// (scope.People) is then one range of codes over one index — "some place of
// the person lies in my subtree" — instead of an OR of six EXISTS over the
// link tables. The rows are derived, written by the link hooks of
// places_hooks.go in the writer's transaction (package scope/places), never
// shown in the API; TestPlacesAgreeWithLinks checks them against the links.
type PersonPlace struct{ ent.Schema }

func (PersonPlace) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		// The region's code rather than its ID: a subtree is a range of
		// codes, so the scope reads this index alone.
		field.String("code").NotEmpty().MaxLen(12).Immutable(),
	}
}

func (PersonPlace) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("places").Field("person_id").Unique().Required().Immutable(),
	}
}

func (PersonPlace) Indexes() []ent.Index {
	return []ent.Index{
		// A person's places, replaced when a link goes (and what
		// ON CONFLICT of an added link meets).
		index.Fields("person_id", "code").Unique(),
		// The scope: the people with a place in a code range, from the
		// index alone.
		index.Fields("code", "person_id"),
	}
}

func (PersonPlace) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Places are written by the link hooks with an internal decision and read
// only as part of the people's rule.
func (PersonPlace) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
