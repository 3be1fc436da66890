package schema

import (
	"context"
	"time"

	"entgo.io/ent"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/ent/privacy"
	"yanzhen/ent/term"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/rules"
)

func (Term) Hooks() []ent.Hook          { return []ent.Hook{checkTerm} }
func (TrainingClass) Hooks() []ent.Hook { return []ent.Hook{checkTrainingClass, trainingClassFigures} }
func (TrainingEnrolment) Hooks() []ent.Hook {
	return []ent.Hook{checkTrainingEnrolment, enrolmentFigures}
}

// checkTerm: a term is a county's, elected on a day that has come, one per
// county and day (the index settles two writers racing).
var checkTerm = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.TermFunc(func(ctx context.Context, m *gen.TermMutation) (gen.Value, error) {
		if d, ok := m.ElectedOn(); ok {
			if err := refuse(rules.CheckRecordDate("electedOn", d, time.Now())); err != nil {
				return nil, err
			}
		}
		if !m.Op().Is(gen.OpCreate) {
			return next.Mutate(ctx, m)
		}
		county, _ := m.RegionID()
		if err := requireLevel(ctx, m.Client(), county, "regionID", rules.TermSite); err != nil {
			return nil, err
		}
		d, _ := m.ElectedOn()
		taken, err := m.Client().Term.Query().Where(term.RegionID(county), term.ElectedOn(d)).
			Exist(privacy.DecisionContext(ctx, privacy.Allow))
		if err != nil {
			return nil, err
		}
		if taken {
			return nil, refuse(&rules.Violation{Code: rules.SecondTerm, Field: "electedOn", Args: []any{rules.Day(d)}})
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// checkTrainingClass applies rules.CheckTrainingClass to the class as it
// will stand, and checks who organizes it.
var checkTrainingClass = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.TrainingClassFunc(func(ctx context.Context, m *gen.TrainingClassMutation) (gen.Value, error) {
		var (
			starts time.Time
			ends   *time.Time
			hours  *float64
		)
		if id, ok := m.ID(); ok && m.Op().Is(gen.OpUpdateOne) {
			old, err := m.Client().TrainingClass.Get(ctx, id)
			if gen.IsNotFound(err) {
				return next.Mutate(ctx, m)
			}
			if err != nil {
				return nil, err
			}
			starts, ends, hours = old.StartsOn, old.EndsOn, old.Hours
		}
		if v, ok := m.StartsOn(); ok {
			starts = v
		}
		if v, ok := m.EndsOn(); ok {
			ends = &v
		} else if m.EndsOnCleared() {
			ends = nil
		}
		if v, ok := m.Hours(); ok {
			hours = &v
		} else if m.HoursCleared() {
			hours = nil
		}
		if err := refuse(rules.CheckTrainingClass(starts, ends, hours)); err != nil {
			return nil, err
		}
		if m.Op().Is(gen.OpCreate) {
			site, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), site, "regionID", rules.TrainingSite); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// checkTrainingEnrolment: hours in range, the trainee recorded where they
// serve, once per class.
var checkTrainingEnrolment = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.TrainingEnrolmentFunc(func(ctx context.Context, m *gen.TrainingEnrolmentMutation) (gen.Value, error) {
		if h, ok := m.Hours(); ok {
			if err := refuse(rules.CheckHours("hours", h)); err != nil {
				return nil, err
			}
		}
		if m.Op().Is(gen.OpCreate) {
			site, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), site, "regionID", rules.EnrolmentSite); err != nil {
				return nil, err
			}
			class, _ := m.ClassID()
			person, _ := m.PersonID()
			taken, err := m.Client().TrainingEnrolment.Query().
				Where(trainingenrolment.ClassID(class), trainingenrolment.PersonID(person)).
				Exist(privacy.DecisionContext(ctx, privacy.Allow))
			if err != nil {
				return nil, err
			}
			if taken {
				return nil, refuse(&rules.Violation{Code: rules.SecondEnrolment, Field: "personID"})
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)
