package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
)

// FeedEntry is one entry of the change feed (package changes): an object of
// the graph created, updated or deleted, where it was (one row per region a
// person's links put them in) and, for an expert's records, the expert's
// institution. A deletion's row is its tombstone. Rows are written at
// commit, in commit order (see FeedClock), so the id is a cursor a
// client can resume from without missing a later-committed earlier write.
type FeedEntry struct{ ent.Schema }

func (FeedEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(timeNow).Immutable(),
		field.Enum("op").Values("CREATE", "UPDATE", "DELETE").Immutable(),
		field.String("entity_type").NotEmpty().Immutable(),
		field.Int("object_id").Immutable(),
		// The object's region code; empty when it has none (a person
		// without links, a national vocabulary word).
		field.String("region_code").Default("").Immutable(),
		// The institution of the expert the object belongs to, for the
		// partner's feed; 0 for objects of no expert.
		field.Int("institution_id").Default(0).Immutable(),
	}
}

func (FeedEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region_code"), index.Fields("institution_id"), index.Fields("object_id")}
}

func (FeedEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// The feed is written by its hook at commit and read by its resolver, both
// as the system; the resolver applies the viewer's scope (package changes).
func (FeedEntry) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}

// FeedClock is one row counting the transactions that wrote changes. A
// transaction updates it just before it inserts its FeedEntry rows and holds
// the row lock until it commits, so on PostgreSQL no two transactions
// insert entries at once and ids follow commit order (SQLite has one
// writer anyway).
type FeedClock struct{ ent.Schema }

func (FeedClock) Fields() []ent.Field {
	return []ent.Field{field.Int64("commits").Default(0)}
}

func (FeedClock) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

func (FeedClock) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
