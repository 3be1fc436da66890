package schema

import (
	"context"
	"fmt"

	"yanzhen/changes"
	gen "yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/post"
	"yanzhen/ent/privacy"
	"yanzhen/scope/places"
)

// The link hooks keep person_places (PersonPlace, package scope/places) in
// step with every link that puts a person in a region subtree, in the
// writer's transaction: a created link adds its place, a deleted or moved
// one recomputes the people it concerned. Which fields are links, and
// which are immutable, is read off the schemas: posts, adviser
// appointments and expert assignments never change person or region once
// created, so only creation and deletion touch places; a mentorship's
// region and a person's home village may change.

// placeLink describes one kind of link for placesHook.
type placeLink struct {
	// created gives the region and people of a created row (region 0:
	// none).
	created func(m gen.Mutation, v gen.Value) (region int, people []int, err error)
	// moved reports whether an update changes a link.
	moved func(m gen.Mutation) bool
	// people gives the people of existing rows.
	people func(ctx context.Context, c *gen.Client, ids []int) ([]int, error)
	// ownsPlaces: the rows are the people, whose places the database
	// deletes with them (ON DELETE CASCADE).
	ownsPlaces bool
}

// linkMutation is what every generated mutation offers besides gen.Mutation.
type linkMutation interface {
	gen.Mutation
	IDs(context.Context) ([]int, error)
	Client() *gen.Client
}

func placesHook(l placeLink) gen.Hook {
	return func(next gen.Mutator) gen.Mutator {
		return gen.MutateFunc(func(ctx context.Context, mut gen.Mutation) (gen.Value, error) {
			m, ok := mut.(linkMutation)
			if !ok {
				return nil, fmt.Errorf("places: unexpected mutation %T", mut)
			}
			if m.Op().Is(gen.OpCreate) {
				v, err := next.Mutate(ctx, m)
				if err != nil {
					return nil, err
				}
				region, people, err := l.created(m, v)
				if err != nil || region == 0 {
					return v, err
				}
				if err := places.Linked(ctx, m.Client(), region, people...); err != nil {
					return nil, fmt.Errorf("recording the person's place: %w", err)
				}
				// The person now shows in that region's change feed.
				if err := changes.PeopleRelinked(ctx, m.Client(), people, nil); err != nil {
					return nil, err
				}
				return v, nil
			}
			deletes := m.Op().Is(gen.OpDelete | gen.OpDeleteOne)
			if deletes && l.ownsPlaces || !deletes && !l.moved(m) {
				return next.Mutate(ctx, m)
			}
			// The people concerned, read before the rows go or move.
			internal := privacy.DecisionContext(ctx, privacy.Allow)
			ids, err := m.IDs(internal)
			if err != nil {
				return nil, err
			}
			var people []int
			if len(ids) > 0 {
				if people, err = l.people(internal, m.Client(), ids); err != nil {
					return nil, err
				}
			}
			// Where they were, for the feeds of the regions they leave.
			before, err := changes.PlacesOf(internal, m.Client(), people)
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			if err := places.Refresh(ctx, m.Client(), people); err != nil {
				return nil, fmt.Errorf("recomputing the people's places: %w", err)
			}
			if err := changes.PeopleRelinked(ctx, m.Client(), people, before); err != nil {
				return nil, err
			}
			return v, nil
		})
	}
}

func never(gen.Mutation) bool { return false }

var personPlaces = placesHook(placeLink{
	created: func(m gen.Mutation, v gen.Value) (int, []int, error) {
		village, ok := m.(*gen.PersonMutation).HomeVillageID()
		p, isPerson := v.(*gen.Person)
		if !ok || !isPerson {
			return 0, nil, nil
		}
		return village, []int{p.ID}, nil
	},
	moved: func(m gen.Mutation) bool {
		pm := m.(*gen.PersonMutation)
		_, set := pm.HomeVillageID()
		return set || pm.HomeVillageCleared()
	},
	people:     func(_ context.Context, _ *gen.Client, ids []int) ([]int, error) { return ids, nil },
	ownsPlaces: true,
})

var postPlaces = placesHook(placeLink{
	created: func(m gen.Mutation, _ gen.Value) (int, []int, error) {
		pm := m.(*gen.PostMutation)
		region, _ := pm.RegionID()
		person, _ := pm.PersonID()
		return region, []int{person}, nil
	},
	moved: never,
	people: func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return c.Post.Query().Where(post.IDIn(ids...)).Select(post.FieldPersonID).Ints(ctx)
	},
})

var adviserPlaces = placesHook(placeLink{
	created: func(m gen.Mutation, _ gen.Value) (int, []int, error) {
		am := m.(*gen.AdviserAppointmentMutation)
		village, _ := am.VillageID()
		person, _ := am.PersonID()
		return village, []int{person}, nil
	},
	moved: never,
	people: func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return c.AdviserAppointment.Query().Where(adviserappointment.IDIn(ids...)).
			Select(adviserappointment.FieldPersonID).Ints(ctx)
	},
})

var assignmentPlaces = placesHook(placeLink{
	created: func(m gen.Mutation, _ gen.Value) (int, []int, error) {
		am := m.(*gen.ExpertAssignmentMutation)
		region, _ := am.RegionID()
		expert, _ := am.ExpertID()
		return region, []int{expert}, nil
	},
	moved: never,
	people: func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return c.ExpertAssignment.Query().Where(expertassignment.IDIn(ids...)).
			Select(expertassignment.FieldExpertID).Ints(ctx)
	},
})

var mentorshipPlaces = placesHook(placeLink{
	created: func(m gen.Mutation, _ gen.Value) (int, []int, error) {
		mm := m.(*gen.MentorshipMutation)
		region, ok := mm.RegionID()
		if !ok {
			return 0, nil, nil
		}
		mentor, _ := mm.MentorID()
		mentee, _ := mm.MenteeID()
		return region, []int{mentor, mentee}, nil
	},
	moved: func(m gen.Mutation) bool {
		mm := m.(*gen.MentorshipMutation)
		_, set := mm.RegionID()
		return set || mm.RegionCleared()
	},
	people: func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		var rows []struct {
			Mentor int `json:"mentor_id"`
			Mentee int `json:"mentee_id"`
		}
		err := c.Mentorship.Query().Where(mentorship.IDIn(ids...)).
			Select(mentorship.FieldMentorID, mentorship.FieldMenteeID).Scan(ctx, &rows)
		people := make([]int, 0, 2*len(rows))
		for _, r := range rows {
			people = append(people, r.Mentor, r.Mentee)
		}
		return people, err
	},
})
