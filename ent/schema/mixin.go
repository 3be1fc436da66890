package schema

import (
	"context"
	"regexp"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"yanzhen/rules"
)

func timeNow() time.Time { return time.Now() }

var digitsOrEmpty = regexp.MustCompile(`^[0-9]*$`)

// asDate makes a time field a calendar date: a DATE column on PostgreSQL, the GraphQL Date
// scalar (YYYY-MM-DD) on the API.
func asDate[B interface {
	SchemaType(map[string]string) B
	Annotations(...schema.Annotation) B
}](b B) B {
	return b.SchemaType(map[string]string{dialect.Postgres: "date"}).Annotations(entgql.Type("Date"))
}

// TimestampsMixin records when a row was created and last changed.
type TimestampsMixin struct{ mixin.Schema }

func (TimestampsMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
	}
}

// PeriodMixin gives a relationship its date range. An empty end date means the
// relationship is current; history is kept by ending, never by deleting.
type PeriodMixin struct{ mixin.Schema }

func (PeriodMixin) Fields() []ent.Field {
	return []ent.Field{
		asDate(field.Time("start_date")).
			Annotations(entgql.OrderField("START_DATE")),
		asDate(field.Time("end_date")).Optional().Nillable().
			Annotations(entgql.OrderField("END_DATE")),
	}
}

func (PeriodMixin) Indexes() []ent.Index {
	return []ent.Index{index.Fields("start_date"), index.Fields("end_date")}
}

func (PeriodMixin) Hooks() []ent.Hook {
	return []ent.Hook{checkPeriod}
}

// periodMutation is what every mutation of a PeriodMixin schema offers.
type periodMutation interface {
	ent.Mutation
	StartDate() (time.Time, bool)
	EndDate() (time.Time, bool)
	OldStartDate(context.Context) (time.Time, error)
	OldEndDate(context.Context) (*time.Time, error)
}

// checkPeriod applies rules.CheckPeriod on create and on update (where one
// side may come from the stored row).
func checkPeriod(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		pm, ok := m.(periodMutation)
		if !ok || !m.Op().Is(ent.OpCreate|ent.OpUpdateOne) {
			return next.Mutate(ctx, m)
		}
		start, hasStart := pm.StartDate()
		end, hasEnd := pm.EndDate()
		if m.Op().Is(ent.OpUpdateOne) && (hasStart || hasEnd) {
			if !hasStart {
				old, err := pm.OldStartDate(ctx)
				if err != nil {
					return nil, err
				}
				start, hasStart = old, true
			}
			if !hasEnd {
				old, err := pm.OldEndDate(ctx)
				if err != nil {
					return nil, err
				}
				if old != nil {
					end, hasEnd = *old, true
				}
			}
		}
		if hasStart && hasEnd {
			if err := refuse(rules.CheckPeriod(rules.Period{Start: start, End: &end})); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}
