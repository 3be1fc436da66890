package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
)

// IdempotencyKey remembers the answer to a mutation sent with an
// Idempotency-Key header, written in the mutation's own transaction: a
// client that lost the answer (a dropped connection, an error after the
// commit) sends the same request again and gets the same answer, and
// nothing is written twice. See graph/idempotency.go.
type IdempotencyKey struct{ ent.Schema }

func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		// The account the key belongs to: keys of different users never meet.
		field.Int("user_id").Immutable(),
		// SHA-256 of the key as sent.
		field.String("key_hash").NotEmpty().Immutable(),
		// SHA-256 of the operation and its variables: the same key with
		// another request is refused.
		field.String("request_hash").NotEmpty().Immutable(),
		field.Bytes("response").Immutable(),
		field.Time("created_at").Default(timeNow).Immutable(),
	}
}

func (IdempotencyKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "key_hash").Unique(), index.Fields("created_at")}
}

func (IdempotencyKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Keys are read and written only by the transaction of the request they
// belong to, with an internal decision, or by the system.
func (IdempotencyKey) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
