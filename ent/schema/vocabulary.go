package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/predicate"
	"yanzhen/ent/privacy"
	"yanzhen/ent/vocabularyterm"
	"yanzhen/ent/vocabularyword"
	"yanzhen/scope"
	"yanzhen/vocab"
)

// VocabularyTerm is a term an area's admin added to a shared vocabulary (a
// county's 乡贤 tag, its 茶叶 field). The national terms live in code
// (package vocab) and are not rows. A term's code is stable: people, demands
// and assignments store it, so it never changes once written; its labels do.
type VocabularyTerm struct{ ent.Schema }

func (VocabularyTerm) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (VocabularyTerm) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("vocabulary").GoType(vocab.Kind("")).Immutable(),
		field.String("code").Match(vocab.CodePattern).Immutable(),
		field.String("label").NotEmpty().MaxLen(64),
		field.String("label_en").Optional().MaxLen(128),
		// The code of the owning area; "" for a national term an admin added.
		field.String("region_code").Default("").MaxLen(12).Immutable(),
	}
}

func (VocabularyTerm) Indexes() []ent.Index {
	return []ent.Index{
		// A code names one term in the whole database, whatever its area:
		// people carry codes across areas (a merge, a move).
		index.Fields("vocabulary", "code").Unique(),
		index.Fields("region_code"),
	}
}

func (VocabularyTerm) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

func (VocabularyTerm) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{privacy.VocabularyTermMutationRuleFunc(func(ctx context.Context, m *gen.VocabularyTermMutation) error {
			return vocabularyWrite(ctx, m, func() (string, bool) { return m.RegionCode() },
				func(code string) predicate.VocabularyTerm { return vocabularyterm.RegionCode(code) })
		})},
		Query: privacy.QueryPolicy{privacy.VocabularyTermQueryRuleFunc(func(ctx context.Context, q *gen.VocabularyTermQuery) error {
			return filtered(ctx, scope.VocabularyTerms, func(p ...predicate.VocabularyTerm) { q.Where(p...) })
		})},
	}
}

// VocabularyWord is a synonym an area writes for a term: its own word for
// one of its terms, or for a national one (a county's 茶 for its 茶叶, its
// 新乡贤 for 乡贤). The word is stored folded (vocab.Fold).
type VocabularyWord struct{ ent.Schema }

func (VocabularyWord) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (VocabularyWord) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("vocabulary").GoType(vocab.Kind("")).Immutable(),
		field.String("word").NotEmpty().MaxLen(64).Immutable(),
		// The code of the term the word means.
		field.String("term_code").Match(vocab.CodePattern),
		// The code of the area whose word it is; "" for a national word.
		field.String("region_code").Default("").MaxLen(12).Immutable(),
	}
}

func (VocabularyWord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("vocabulary", "word", "region_code").Unique(),
		index.Fields("region_code"),
	}
}

func (VocabularyWord) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

func (VocabularyWord) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{privacy.VocabularyWordMutationRuleFunc(func(ctx context.Context, m *gen.VocabularyWordMutation) error {
			return vocabularyWrite(ctx, m, func() (string, bool) { return m.RegionCode() },
				func(code string) predicate.VocabularyWord { return vocabularyword.RegionCode(code) })
		})},
		Query: privacy.QueryPolicy{privacy.VocabularyWordQueryRuleFunc(func(ctx context.Context, q *gen.VocabularyWordQuery) error {
			return filtered(ctx, scope.VocabularyWords, func(p ...predicate.VocabularyWord) { q.Where(p...) })
		})},
	}
}

// vocabularyWrite: admins write the terms and words of their own area only
// (a county admin the county's, the national admin the national ones): a
// province may read its counties' words but not change them, nor may a
// county change the words of its province. Creates must name the admin's
// own area; updates and deletes are narrowed to its rows.
func vocabularyWrite[M interface {
	ent.Mutation
	Where(...P)
}, P ~func(*sql.Selector)](ctx context.Context, m M, created func() (string, bool), own func(code string) P) error {
	v, system, err := writer(ctx, admins...)
	if err != nil || system {
		return err
	}
	if m.Op().Is(ent.OpCreate) {
		if code, _ := created(); code != v.Scope {
			return auth.ErrForbidden()
		}
		return privacy.Allow
	}
	m.Where(own(v.Scope))
	return privacy.Allow
}
