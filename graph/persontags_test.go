package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/vocab"
)

// people(where: {hasTag: …}) finds exactly the people carrying the tag,
// among those the viewer may see, also nested in and/or/not and in a
// relation filter.
func TestPeopleByTag(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx := auth.System(context.Background())
		tag := func(id int, tags ...vocab.PersonTag) {
			db.Client.Person.UpdateOneID(id).SetTags(tags).ExecX(ctx)
		}
		tag(s.inA.ID, "RETURNEE", "VETERAN")
		tag(s.inB.ID, "VETERAN")
		tag(s.outside.ID, "RETURNEE")
		tag(s.exp.ID, "SELECTED_GRADUATE")
		// 丙 has no tags at all (NULL), which must match nothing.
		names := func(a *api, where string) string {
			t.Helper()
			var out struct {
				People struct {
					TotalCount int
					Edges      []struct{ Node struct{ Name string } }
				}
			}
			a.ok(`{ people(where: `+where+`) { totalCount edges { node { name } } } }`, nil, &out)
			var ns []string
			for _, e := range out.People.Edges {
				ns = append(ns, e.Node.Name)
			}
			slices.Sort(ns)
			if out.People.TotalCount != len(ns) {
				t.Errorf("%s: totalCount %d for %v", where, out.People.TotalCount, ns)
			}
			return strings.Join(ns, ",")
		}
		national, county, partner := newAPIAs(t, db, s.national), newAPIAs(t, db, s.county), newAPIAs(t, db, s.partner)
		for _, c := range []struct {
			a     *api
			who   string
			where string
			want  string
		}{
			{national, "national", `{hasTag: "RETURNEE"}`, "外县干部,甲村书记"},
			{national, "national", `{hasTag: "VETERAN"}`, "乙村主任,甲村书记"},
			{national, "national", `{and: [{hasTag: "RETURNEE"}, {hasTag: "VETERAN"}]}`, "甲村书记"},
			{national, "national", `{or: [{hasTag: "RETURNEE"}, {hasTag: "SELECTED_GRADUATE"}]}`, "外县干部,江专家,甲村书记"},
			{national, "national", `{hasTag: "RETURNEE", nameHasPrefix: "外"}`, "外县干部"},
			{national, "national", `{not: {hasTag: "RETURNEE"}, hasTag: "VETERAN"}`, "乙村主任"},
			{national, "national", `{hasTag: "COLLEGE_GRADUATE"}`, ""}, // not a word of SELECTED_GRADUATE
			// The cadre of the other county carries the tag but is out of
			// the county's sight.
			{county, "county", `{hasTag: "RETURNEE"}`, "甲村书记"},
			{county, "county", `{hasTag: "VETERAN"}`, "乙村主任,甲村书记"},
			{partner, "partner", `{hasTag: "SELECTED_GRADUATE"}`, "江专家"},
			{partner, "partner", `{hasTag: "RETURNEE"}`, ""},
		} {
			if got := names(c.a, c.where); got != c.want {
				t.Errorf("%s, %s: %q, want %q", c.who, c.where, got, c.want)
			}
		}
		// Null is no filter.
		var all struct{ People struct{ TotalCount int } }
		national.ok(`query($t: PersonTag) { people(where: {hasTag: $t}) { totalCount } }`, map[string]any{"t": nil}, &all)
		if all.People.TotalCount != 6 {
			t.Errorf("hasTag: null: %d people, want all 6", all.People.TotalCount)
		}
		// Through a relation filter: the posts of returnees.
		var posts struct {
			Posts struct {
				Edges []struct {
					Node struct{ Person struct{ Name string } }
				}
			}
		}
		county.ok(`{ posts(where: {hasPersonWith: [{hasTag: "RETURNEE"}]}) { edges { node { person { name } } } } }`, nil, &posts)
		if len(posts.Posts.Edges) != 1 || posts.Posts.Edges[0].Node.Person.Name != "甲村书记" {
			t.Errorf("posts of returnees, county: %+v", posts)
		}
		// Tags are codes of vocabularies areas extend: a code no vocabulary
		// has tags nobody.
		var none struct{ People struct{ TotalCount int } }
		national.ok(`{ people(where: {hasTag: "NOT_A_TAG"}) { totalCount } }`, nil, &none)
		if none.People.TotalCount != 0 {
			t.Errorf("hasTag: NOT_A_TAG: %d people", none.People.TotalCount)
		}
	})
}
