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
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/hook"
	"yanzhen/rules"
)

// DutyItem is one item of a cadre's duty list for a year (履职清单): the
// task, whether it is a 重点, 难点 or 亮点, its deadline and how it stands,
// with the evidence and who reviewed it. The list belongs to the village
// the cadre serves; its items are written there (the cadre's progress by
// the village, the review by the township or the county).
type DutyItem struct{ ent.Schema }

func (DutyItem) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, AuditMixin{}}
}

func (DutyItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.Int("year").Immutable().Annotations(entgql.OrderField("YEAR")),
		field.Text("task").NotEmpty(),
		field.Enum("kind").
			Values(
				"KEY",       // 重点
				"HARD",      // 难点
				"HIGHLIGHT", // 亮点
			).
			Annotations(entgql.OrderField("KIND")),
		asDate(field.Time("deadline")).Optional().Nillable().Annotations(entgql.OrderField("DEADLINE")),
		field.Enum("status").
			Values(
				"OPEN",      // 推进中
				"DONE",      // 已完成
				"CANCELLED", // 已撤销
			).
			Default("OPEN"),
		// When it was done: a DONE item has it (today unless given), and
		// it tells an as-of figure whether the item was done by then.
		asDate(field.Time("completed_on")).Optional().Nillable(),
		// 佐证材料: what shows it was done.
		field.Text("evidence").Optional(),
		field.String("reviewed_by").Optional().MaxLen(64),
	}
}

func (DutyItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("duty_items").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("duty_items").Field("region_id").Unique().Required().Immutable(),
	}
}

func (DutyItem) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("person_id", "year"),
		index.Fields("region_id", "year"),
		index.Fields("deadline"),
	}
}

func (DutyItem) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (DutyItem) Hooks() []ent.Hook {
	return []ent.Hook{checkDutyItem, dutyFigures}
}

// checkDutyItem keeps an item's state whole: a DONE item gets today as its
// completion date unless one is given, an item that is no longer DONE
// loses it, and rules.CheckDutyItem holds for the values that will stand.
// A new item's village is checked where it is kept.
var checkDutyItem = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.DutyItemFunc(func(ctx context.Context, m *gen.DutyItemMutation) (gen.Value, error) {
		var (
			year      int
			status    = dutyitem.StatusOPEN
			completed *time.Time
		)
		if id, ok := m.ID(); ok && m.Op().Is(gen.OpUpdateOne) {
			// As the viewer: what they may not see is left to the policy.
			old, err := m.Client().DutyItem.Get(ctx, id)
			if gen.IsNotFound(err) {
				return next.Mutate(ctx, m)
			}
			if err != nil {
				return nil, err
			}
			year, status, completed = old.Year, old.Status, old.CompletedOn
		}
		if v, ok := m.Year(); ok {
			year = v
		}
		if v, ok := m.Status(); ok {
			status = v
		}
		if v, ok := m.CompletedOn(); ok {
			completed = &v
		} else if m.CompletedOnCleared() {
			completed = nil
		}
		switch {
		case status == dutyitem.StatusDONE && completed == nil:
			today := rules.Today(time.Now())
			m.SetCompletedOn(today)
			completed = &today
		case status != dutyitem.StatusDONE && completed != nil:
			if _, given := m.CompletedOn(); !given {
				m.ClearCompletedOn()
				completed = nil
			}
		}
		if err := refuse(rules.CheckDutyItem(year, status == dutyitem.StatusDONE, completed, time.Now())); err != nil {
			return nil, err
		}
		if m.Op().Is(gen.OpCreate) {
			village, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), village, "regionID", rules.DutySite); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)
