package schema

import (
	"context"
	"time"

	"entgo.io/ent"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/ent/privacy"
	"yanzhen/ent/starrating"
	"yanzhen/errcode"
	"yanzhen/rules"
)

func (Reward) Hooks() []ent.Hook      { return []ent.Hook{checkReward, rewardFigures} }
func (StarRating) Hooks() []ent.Hook  { return []ent.Hook{checkStarRating} }
func (OfficeAudit) Hooks() []ent.Hook { return []ent.Hook{checkOfficeAudit} }

// checkReward: a reward is entered after the decision (no future dates), and
// a cash award is never negative (the schema's validator says the same,
// but names the column, not the input field).
var checkReward = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.RewardFunc(func(ctx context.Context, m *gen.RewardMutation) (gen.Value, error) {
		if d, ok := m.Date(); ok {
			if err := refuse(rules.CheckRecordDate("date", d, time.Now())); err != nil {
				return nil, err
			}
		}
		if n, ok := m.AmountYuan(); ok && n < 0 {
			return nil, errcode.BadInput("amountYuan", "a cash award is not negative / 奖金不能为负数")
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne|gen.OpUpdate)

// checkStarRating: the village is a village, the year is past or current,
// the stars 1 to 5, and the village has no other rating for that year.
var checkStarRating = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.StarRatingFunc(func(ctx context.Context, m *gen.StarRatingMutation) (gen.Value, error) {
		if m.Op().Is(gen.OpCreate) {
			village, _ := m.VillageID()
			if err := requireLevel(ctx, m.Client(), village, "villageID", rules.StarRating); err != nil {
				return nil, err
			}
		}
		if s, ok := m.Stars(); ok && (s < 1 || s > 5) {
			return nil, errcode.BadInput("stars", "a rating has 1 to 5 stars, not %d / 星级须为 1 至 5 星", s)
		}
		if d, ok := m.Date(); ok {
			if err := refuse(rules.CheckRecordDate("date", d, time.Now())); err != nil {
				return nil, err
			}
		}
		year, ok := m.Year()
		if !ok {
			return next.Mutate(ctx, m)
		}
		if err := refuse(rules.CheckYear("year", year, time.Now())); err != nil {
			return nil, err
		}
		if err := oneRatingAYear(ctx, m, year); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// oneRatingAYear refuses a second rating of the village for year. The
// writer may write the village (the policy ran first), so saying that a
// rating exists tells nothing out of their sight; the unique index
// star_rating_village_year settles two writers racing.
func oneRatingAYear(ctx context.Context, m *gen.StarRatingMutation, year int) error {
	internal := privacy.DecisionContext(ctx, privacy.Allow)
	village, ok := m.VillageID()
	if !ok {
		old, err := m.OldVillageID(internal)
		if err != nil {
			return err
		}
		village = old
	}
	q := m.Client().StarRating.Query().Where(starrating.VillageID(village), starrating.Year(year))
	if id, ok := m.ID(); ok {
		q.Where(starrating.IDNEQ(id))
	}
	taken, err := q.Exist(internal)
	if err != nil {
		return lookupError(ctx, err)
	}
	if taken {
		e := errcode.ConflictWith("the village already has a star rating for %d; change that one / 该村 %d 年度已有星级评定，请修改原记录", year, year)
		e.Field = "year"
		return e
	}
	return nil
}

// checkOfficeAudit: an audit of a village's secretary, entered after it was
// carried out.
var checkOfficeAudit = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.OfficeAuditFunc(func(ctx context.Context, m *gen.OfficeAuditMutation) (gen.Value, error) {
		if m.Op().Is(gen.OpCreate) {
			r, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), r, "regionID", rules.OfficeAudit); err != nil {
				return nil, err
			}
		}
		if d, ok := m.Date(); ok {
			if err := refuse(rules.CheckRecordDate("date", d, time.Now())); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne|gen.OpUpdate)
