package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
)

// TrustedDocument is a GraphQL document a client other than the web app
// (a mobile app build, a partner's system) registered with
// `yanzhen documents add`. When the server accepts trusted documents only
// (YANZHEN_TRUSTED_DOCUMENTS=only), a request must name one of these — or
// one of the web app's, built into the binary — by its SHA-256 hash (see
// package trusted).
type TrustedDocument struct{ ent.Schema }

func (TrustedDocument) Fields() []ent.Field {
	return []ent.Field{
		// Lowercase hex SHA-256 of the document text.
		field.String("hash").NotEmpty().MaxLen(64).Immutable(),
		field.Text("document").NotEmpty().Immutable(),
		// The operations the document defines, comma-separated (for lists).
		field.String("operations").Default("").Immutable(),
		// Who sent it: the client and build, as the admin named it
		// ("mobile-android-2.3", "partner-nwafu").
		field.String("client").NotEmpty().Immutable(),
		field.Time("added_at").Default(timeNow).Immutable(),
	}
}

func (TrustedDocument) Indexes() []ent.Index {
	return []ent.Index{index.Fields("hash").Unique(), index.Fields("client")}
}

func (TrustedDocument) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Registered by a command and looked up by the server, both as the system.
func (TrustedDocument) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
