package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
	"yanzhen/insight/searchkey"
)

// PersonSearchKey is one of the keys a person is found by in search: the
// full toneless pinyin or the initials of one reading of their name (a
// surname's own reading, every common reading of a polyphonic character:
// 张长良 has zhangchangliang, zhangzhangliang, zcl and zzl). A name has up to
// searchkey.MaxReadings readings, so they do not fit columns of the person.
// Derived from the name by personSearchKeys (search_hooks.go) in the
// person's mutation, by the demo generator's bulk writer, and for rows of
// earlier releases by the fill_person_search_keys migration step; never
// shown in the API.
type PersonSearchKey struct{ ent.Schema }

func (PersonSearchKey) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Enum("kind").Values(string(searchkey.Pinyin), string(searchkey.Initials)).Immutable(),
		field.String("key").NotEmpty().MaxLen(searchkey.MaxKeyLength).Immutable(),
	}
}

func (PersonSearchKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("search_keys").Field("person_id").Unique().Required().Immutable(),
	}
}

func (PersonSearchKey) Indexes() []ent.Index {
	return []ent.Index{
		// A person's keys, replaced when the name changes; it also answers
		// which kind of key a hit matched by.
		index.Fields("person_id", "kind", "key").Unique(),
		// The search: a query is matched against both kinds with the same
		// range (key >= lo AND key < hi), so the key leads; the person comes
		// with it, so that PostgreSQL reads the matching people from the
		// index alone.
		index.Fields("key", "person_id"),
	}
}

func (PersonSearchKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Search keys are written by the person hook with an internal decision and
// read by the search's own SQL; nobody queries them through ent.
func (PersonSearchKey) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
