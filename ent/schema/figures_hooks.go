package schema

import (
	"context"
	"fmt"

	gen "yanzhen/ent"
	"yanzhen/ent/privacy"
	"yanzhen/insight/figures"
)

// The figures hooks mark the precomputed figures of the regions above a
// write stale (region_figures, package insight/figures), in the writer's
// transaction, on every table the statistics and the alerts read: a
// created row's region after the insert, an updated row's before and after
// (a mentorship, a demand or a region may move), a deleted row's before it
// goes. A person counts through their posts, so a changed or deleted
// person marks the regions of their places. A rolled-back write rolls its
// marks back with it.

// figuresHook marks the figures above the rows of a table; regions is the
// table's SQL of package figures.
func figuresHook(regions string) gen.Hook {
	return func(next gen.Mutator) gen.Mutator {
		return gen.MutateFunc(func(ctx context.Context, mut gen.Mutation) (gen.Value, error) {
			m, ok := mut.(linkMutation)
			if !ok {
				return nil, fmt.Errorf("figures: unexpected mutation %T", mut)
			}
			if m.Op().Is(gen.OpCreate) {
				v, err := next.Mutate(ctx, m)
				if err != nil || regions == figures.PersonRegions {
					return v, err
				}
				// ent sets the mutation's ID once the row is saved.
				if id, ok := m.(interface{ ID() (int, bool) }).ID(); ok {
					if err := figures.Rows(ctx, m.Client(), regions, id); err != nil {
						return nil, fmt.Errorf("marking the region figures: %w", err)
					}
				}
				return v, nil
			}
			internal := privacy.DecisionContext(ctx, privacy.Allow)
			ids, err := m.IDs(internal)
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				return next.Mutate(ctx, m)
			}
			if err := figures.Before(ctx, m.Client(), regions, ids...); err != nil {
				return nil, fmt.Errorf("marking the region figures: %w", err)
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			if !m.Op().Is(gen.OpDelete|gen.OpDeleteOne) && regions != figures.PersonRegions {
				if err := figures.Rows(ctx, m.Client(), regions, ids...); err != nil {
					return nil, fmt.Errorf("marking the region figures: %w", err)
				}
			}
			return v, nil
		})
	}
}

var (
	postFigures          = figuresHook(figures.PostRegions)
	appointmentFigures   = figuresHook(figures.AppointmentRegions)
	contactLogFigures    = figuresHook(figures.ContactLogRegions)
	assignmentFigures    = figuresHook(figures.AssignmentRegions)
	serviceRecordFigures = figuresHook(figures.ServiceRecordRegion)
	mentorshipFigures    = figuresHook(figures.MentorshipRegions)
	demandFigures        = figuresHook(figures.DemandRegions)
	contributionFigures  = figuresHook(figures.ContributionRegions)
	regionFigures        = figuresHook(figures.RegionCodes)
	assessmentFigures    = figuresHook(figures.AssessmentRegions)
	dutyFigures          = figuresHook(figures.DutyItemRegions)
	candidacyFigures     = figuresHook(figures.CandidacyRegions)
	rewardFigures        = figuresHook(figures.RewardRegions)
	enrolmentFigures     = figuresHook(figures.TrainingEnrolmentRegions)
	trainingClassFigures = figuresHook(figures.TrainingClassRegions)
	// A new person holds no post yet: only updates and deletes count.
	personFigures = figuresHook(figures.PersonRegions)
)
