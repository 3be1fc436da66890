package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
)

// RateBucket is the state of one rate limit key (logins of a client
// address, searches of an account) shared by every server process on the
// database, so that N processes behind one address do not grant N times
// the budget. The key is a hash, never the address or account itself. The
// row is read and written by one upsert statement (database.Limiter).
type RateBucket struct{ ent.Schema }

func (RateBucket) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").NotEmpty().MaxLen(80).Immutable(),
		// The theoretical arrival time of the next attempt, in Unix
		// milliseconds (GCRA): the bucket is full again once it has passed.
		field.Int64("tat"),
	}
}

func (RateBucket) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("key").Unique(),
		// Full buckets are swept by this time.
		index.Fields("tat"),
	}
}

func (RateBucket) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll), entsql.Table("rate_buckets")}
}

// Only the limiter's own statements (not through ent) and the system.
func (RateBucket) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
