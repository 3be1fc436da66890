package schema

import (
	"context"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	gen "yanzhen/ent"
	"yanzhen/ent/assessment"
	"yanzhen/ent/hook"
	"yanzhen/ent/privacy"
	"yanzhen/rules"
)

// Assessment is a cadre's annual assessment (年度考核) with its 述职评议:
// the grade, the review score and the rank among the cadres assessed
// together, and the 任期承诺 made for the year. One per person and year;
// it belongs to the village or township whose organization assessed the
// cadre, and is seen and written by that region's admins.
type Assessment struct{ ent.Schema }

func (Assessment) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, AuditMixin{}}
}

func (Assessment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Int("region_id").Immutable(),
		// The year assessed (the assessment itself is held early the next).
		field.Int("year").Immutable().Annotations(entgql.OrderField("YEAR")),
		field.Enum("grade").
			Values(
				"EXCELLENT",           // 优秀
				"COMPETENT",           // 称职
				"BASICALLY_COMPETENT", // 基本称职
				"INCOMPETENT",         // 不称职
			).
			Annotations(entgql.OrderField("GRADE")),
		// 述职评议: the score of the review (0–100) …
		field.Float("review_score").Optional().Nillable(),
		// … and the rank among rankedAmong cadres reviewed together, in
		// the township or the county (rankScope). Last place is rank =
		// rankedAmong: the 末位 the alerts watch.
		field.Int("rank").Optional().Nillable(),
		field.Int("ranked_among").Optional().Nillable(),
		field.Enum("rank_scope").Values("TOWNSHIP", "COUNTY").Optional().Nillable(),
		// 任期承诺: what the cadre pledged for the year.
		field.Text("pledge").Optional(),
		field.Text("notes").Optional(),
	}
}

func (Assessment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("assessments").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("assessments").Field("region_id").Unique().Required().Immutable(),
	}
}

func (Assessment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("person_id", "year").Unique(),
		index.Fields("region_id", "year"),
		index.Fields("year"),
	}
}

func (Assessment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (Assessment) Hooks() []ent.Hook {
	return []ent.Hook{checkAssessment, assessmentFigures}
}

// checkAssessment applies rules.CheckAssessment to the values an
// assessment will have, checks where it is held, and refuses a second
// assessment of a person for one year before the unique index does (with
// words rather than a constraint name).
var checkAssessment = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.AssessmentFunc(func(ctx context.Context, m *gen.AssessmentMutation) (gen.Value, error) {
		var (
			year        int
			score       *float64
			rank, among *int
			scoped      bool
		)
		if id, ok := m.ID(); ok && m.Op().Is(gen.OpUpdateOne) {
			// Read as the viewer: a row they may not see is left to the
			// policy (NOT_FOUND), never described by a rule's message.
			old, err := m.Client().Assessment.Get(ctx, id)
			if gen.IsNotFound(err) {
				return next.Mutate(ctx, m)
			}
			if err != nil {
				return nil, err
			}
			year, score, rank, among, scoped = old.Year, old.ReviewScore, old.Rank, old.RankedAmong, old.RankScope != nil
		}
		if v, ok := m.Year(); ok {
			year = v
		}
		if v, ok := m.ReviewScore(); ok {
			score = &v
		} else if m.ReviewScoreCleared() {
			score = nil
		}
		if v, ok := m.Rank(); ok {
			rank = &v
		} else if m.RankCleared() {
			rank = nil
		}
		if v, ok := m.RankedAmong(); ok {
			among = &v
		} else if m.RankedAmongCleared() {
			among = nil
		}
		if _, ok := m.RankScope(); ok {
			scoped = true
		} else if m.RankScopeCleared() {
			scoped = false
		}
		if err := refuse(rules.CheckAssessment(year, score, rank, among, scoped, time.Now())); err != nil {
			return nil, err
		}
		if m.Op().Is(gen.OpCreate) {
			site, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), site, "regionID", rules.AssessmentSite); err != nil {
				return nil, err
			}
			person, _ := m.PersonID()
			taken, err := m.Client().Assessment.Query().Where(assessment.PersonID(person), assessment.Year(year)).
				Exist(privacy.DecisionContext(ctx, privacy.Allow))
			if err != nil {
				return nil, err
			}
			if taken {
				return nil, refuse(&rules.Violation{Code: rules.SecondAssessment, Field: "year", Args: []any{year}})
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)
