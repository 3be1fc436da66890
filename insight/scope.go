package insight

import (
	"context"

	"yanzhen/ent"

	"yanzhen/auth"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/scope"
)

// The analytics read tables with SQL of their own, so they narrow their
// rows to the viewer's with the rules of package scope — the ones the ent
// privacy policies apply — inside the query: a page of results is a full
// page of rows the viewer may see, and nothing is filtered afterwards.
// Each function renders "col is such a row the viewer may see" with its
// values appended to args.

func seesPeople(ctx context.Context, col string, args *[]any) string {
	return scope.In(col, scope.People(auth.FromContext(ctx)), person.Table, args)
}

func seesMentorships(ctx context.Context, col string, args *[]any) string {
	return scope.In(col, scope.Mentorships(auth.FromContext(ctx)), mentorship.Table, args)
}

func seesPosts(ctx context.Context, col string, args *[]any) string {
	return scope.In(col, scope.Posts(auth.FromContext(ctx)), post.Table, args)
}

func seesAppointments(ctx context.Context, col string, args *[]any) string {
	return scope.In(col, scope.AdviserAppointments(auth.FromContext(ctx)), adviserappointment.Table, args)
}

func seesAssignments(ctx context.Context, col string, args *[]any) string {
	return scope.In(col, scope.ExpertAssignments(auth.FromContext(ctx)), expertassignment.Table, args)
}

// analyticsRegion admits the viewer to the analytics of the subtree of code
// — admins, township and village users whose area covers it; partners see
// no analytics — and loads its region.
func analyticsRegion(ctx context.Context, c *ent.Client, code string) (*ent.Region, error) {
	if err := auth.RequireScope(ctx, code, auth.RoleAdmin, auth.RoleTownship, auth.RoleVillage); err != nil {
		return nil, err
	}
	return findRegion(ctx, c, "code", code)
}

// analyticsSubtree is analyticsRegion admitting national admins to the
// whole country too, as the code "" (whose region is nil).
func analyticsSubtree(ctx context.Context, c *ent.Client, code string) (*ent.Region, error) {
	if code != "" {
		return analyticsRegion(ctx, c, code)
	}
	if v := auth.FromContext(ctx); !v.System() && !(v.Is(auth.RoleAdmin) && v.Scope == "") {
		return nil, auth.Deny(v)
	}
	return nil, nil
}
