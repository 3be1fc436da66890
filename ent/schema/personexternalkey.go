package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/personexternalkey"
	"yanzhen/ent/predicate"
	"yanzhen/ent/privacy"
	"yanzhen/scope"
)

// PersonExternalKey is a person's number in one source's roster (人员编号):
// a person is one file (一人一档) whoever reported them, and each county
// keeps its own numbering, so a person has one key per source. The roster
// import matches a row by 身份证号 first, then by its source's key, and
// writes the key of its source; mergePeople moves the merged person's keys
// to the kept one.
type PersonExternalKey struct{ ent.Schema }

// MaxSourceLen bounds a source name: a region code (12 digits) or an
// explicit ImportOptions.Source.
const MaxSourceLen = 32

func (PersonExternalKey) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}} }

func (PersonExternalKey) Fields() []ent.Field {
	return []ent.Field{
		// Not immutable: mergePeople moves a key to the kept person.
		field.Int("person_id"),
		// Where the number comes from: the importing account's region code,
		// or what the import names (ImportOptions.Source).
		field.String("source").NotEmpty().MaxLen(MaxSourceLen).Immutable(),
		field.String("key").NotEmpty().MaxLen(64).Immutable(),
	}
}

func (PersonExternalKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("external_keys").Field("person_id").Unique().Required(),
	}
}

func (PersonExternalKey) Indexes() []ent.Index {
	return []ent.Index{
		// A source's number names one person: the database, not the
		// importer's check, settles two imports of the same source racing.
		index.Fields("source", "key").Unique(),
		index.Fields("person_id"),
	}
}

func (PersonExternalKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Keys are written only by the import and the merge, with an internal
// decision after the person's own write passed its policy; they are read
// by whoever may see the person they belong to, so that a key never leads
// an importer to a person outside their scope.
func (PersonExternalKey) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query: privacy.QueryPolicy{privacy.PersonExternalKeyQueryRuleFunc(func(ctx context.Context, q *gen.PersonExternalKeyQuery) error {
			return filtered(ctx, externalKeys, func(p ...predicate.PersonExternalKey) { q.Where(p...) })
		})},
	}
}

// externalKeys are the keys of the people the viewer may see (scope.People).
func externalKeys(v *auth.Viewer) predicate.PersonExternalKey {
	p := scope.People(v)
	if p == nil {
		return nil
	}
	return personexternalkey.HasPersonWith(p)
}
