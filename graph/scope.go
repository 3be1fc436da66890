package graph

// Scoping of the capabilities answered by raw SQL (insight): the ent privacy
// policies filter everything loaded through ent, but statistics, alerts,
// pipelines, gaps, search, lineages, timelines and matching read tables
// directly, so their resolvers check the region asked for against the
// viewer's scope and keep only results the viewer may load through ent.

import (
	"context"
	"strings"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/servicerecord"
	"yanzhen/errcode"
)

// requireAnalytics admits a viewer to the analytics of the region subtree
// code: admins, township and village users whose scope covers it. Partners
// see no analytics.
func requireAnalytics(ctx context.Context, code string) error {
	return auth.RequireScope(ctx, code, auth.RoleAdmin, auth.RoleTownship, auth.RoleVillage)
}

// searchWithin intersects the subtree a search asked for with the viewer's:
// the narrower of the two when one contains the other; ok=false when they
// do not meet (nothing to find).
func searchWithin(v *auth.Viewer, within string) (string, bool) {
	if v.System() || !v.Regional() || v.Scope == "" {
		return within, true
	}
	switch {
	case within == "" || strings.HasPrefix(v.Scope, within):
		return v.Scope, true
	case strings.HasPrefix(within, v.Scope):
		return within, true
	}
	return "", false
}

// visible returns which of ids the viewer may load through ent, one query
// per type. Anonymous viewers see regions and institutions only.
func visible(ctx context.Context, c *ent.Client, ids []int) (map[int]bool, error) {
	byType := map[string][]int{}
	for _, id := range ids {
		if t, ok := ent.TypeOfID(id); ok {
			byType[t] = append(byType[t], id)
		}
	}
	out := map[int]bool{}
	anonymous := auth.FromContext(ctx).Anonymous() && !auth.FromContext(ctx).System()
	for t, ids := range byType {
		var (
			found []int
			err   error
		)
		if anonymous && t != "Region" && t != "Institution" {
			continue
		}
		switch t {
		case "Region":
			found, err = c.Region.Query().Where(region.IDIn(ids...)).IDs(ctx)
		case "Institution":
			found, err = c.Institution.Query().Where(institution.IDIn(ids...)).IDs(ctx)
		case "Person":
			found, err = c.Person.Query().Where(person.IDIn(ids...)).IDs(ctx)
		case "Post":
			found, err = c.Post.Query().Where(post.IDIn(ids...)).IDs(ctx)
		case "Mentorship":
			found, err = c.Mentorship.Query().Where(mentorship.IDIn(ids...)).IDs(ctx)
		case "AdviserAppointment":
			found, err = c.AdviserAppointment.Query().Where(adviserappointment.IDIn(ids...)).IDs(ctx)
		case "ContactLog":
			found, err = c.ContactLog.Query().Where(contactlog.IDIn(ids...)).IDs(ctx)
		case "Contribution":
			found, err = c.Contribution.Query().Where(contribution.IDIn(ids...)).IDs(ctx)
		case "ExpertAssignment":
			found, err = c.ExpertAssignment.Query().Where(expertassignment.IDIn(ids...)).IDs(ctx)
		case "ServiceRecord":
			found, err = c.ServiceRecord.Query().Where(servicerecord.IDIn(ids...)).IDs(ctx)
		case "Demand":
			found, err = c.Demand.Query().Where(demand.IDIn(ids...)).IDs(ctx)
		}
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}

// requirePerson answers NOT_FOUND for a person the viewer may not see, as
// for one that does not exist.
func requirePerson(ctx context.Context, c *ent.Client, id int) error {
	ok, err := c.Person.Query().Where(person.ID(id)).Exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errcode.New(errcode.NotFound, "person not found / 未找到该人员")
	}
	return nil
}
