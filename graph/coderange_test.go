package graph_test

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
)

// codeRange is a range condition on a code column, as either engine quotes it.
var codeRange = regexp.MustCompile("[`\"](region_)?code[`\"] >= ")

// A code-prefix filter is sent as a range of codes, never as LIKE, wherever
// it stands: a where argument, a relation filter, inside not/and/or. It
// answers what the prefix means (the test's own LIKE query says what that
// is), and a prefix that is not digits keeps its meaning.
func TestCodePrefixFiltersAreRanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		for i, v := range w.villages {
			for j := 0; j <= i; j++ {
				c.Person.Create().SetName("村民").SetHomeVillage(v).SaveX(ctx)
			}
		}
		c.Person.Create().SetName("无村").SaveX(ctx)
		a := newAPI(t, db)
		names := func(prefix string) []int {
			ids := c.Person.Query().Where(person.HasHomeVillageWith(region.CodeHasPrefix(prefix))).IDsX(ctx)
			sort.Ints(ids)
			return ids
		}
		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			want        func() []int
			like        bool // a prefix that is no code keeps its LIKE
		}{
			{"relation filter", `query($p: String!) { people(first: 100, where: {hasHomeVillageWith: {codeHasPrefix: $p}}) { totalCount edges { node { id } } } }`,
				map[string]any{"p": "150221100"}, func() []int { return names("150221100") }, false},
			{"inside or and not", `query($p: String!) { people(first: 100, where: {hasHomeVillageWith: {or: [{not: {codeHasPrefix: $p}}, {codeHasPrefix: "150221101"}]}}) { totalCount edges { node { id } } } }`,
				map[string]any{"p": "150221100"}, func() []int {
					ids := c.Person.Query().Where(person.HasHomeVillageWith(region.Or(region.Not(region.CodeHasPrefix("150221100")), region.CodeHasPrefix("150221101")))).IDsX(ctx)
					sort.Ints(ids)
					return ids
				}, false},
			{"not digits", `query($p: String!) { people(first: 100, where: {hasHomeVillageWith: {codeHasPrefix: $p}}) { totalCount edges { node { id } } } }`,
				map[string]any{"p": "15%"}, func() []int { return nil }, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var out struct {
					People struct {
						TotalCount int
						Edges      []struct{ Node struct{ ID string } }
					}
				}
				want := tc.want()
				db.Statements.Record()
				a.ok(tc.query, tc.vars, &out)
				sent := db.Statements.Recorded()
				var got []int
				for _, e := range out.People.Edges {
					got = append(got, personID(t, e.Node.ID))
				}
				sort.Ints(got)
				if !slices.Equal(got, want) || out.People.TotalCount != len(want) {
					t.Fatalf("got %v (total %d), want %v", got, out.People.TotalCount, want)
				}
				if len(got) == 0 && !tc.like {
					t.Fatal("the filter matched nobody: the test proves nothing")
				}
				var sawLike, sawRange bool
				for _, s := range sent {
					sawLike = sawLike || strings.Contains(s.Query, " LIKE ")
					sawRange = sawRange || codeRange.MatchString(s.Query)
				}
				if sawLike != tc.like || sawRange == tc.like {
					for _, s := range sent {
						t.Log(s.Query)
					}
					t.Fatalf("LIKE sent: %v, range sent: %v", sawLike, sawRange)
				}
			})
		}
		// Top-level where arguments: regions and the audit log.
		var regions struct {
			Regions struct{ TotalCount int } `json:"regions"`
		}
		want := c.Region.Query().Where(region.CodeHasPrefix("150221100")).CountX(ctx)
		db.Statements.Record()
		a.ok(`{ regions(where: {codeHasPrefix: "150221100"}) { totalCount } }`, nil, &regions)
		if regions.Regions.TotalCount != want || want < 4 {
			t.Fatalf("regions under 150221100: %d, want %d", regions.Regions.TotalCount, want)
		}
		for _, s := range db.Statements.Recorded() {
			if strings.Contains(s.Query, " LIKE ") {
				t.Fatalf("regions(where: {codeHasPrefix}) sent LIKE: %s", s.Query)
			}
		}
		db.Statements.Record()
		a.ok(`{ auditLogs(first: 5, where: {regionCodeHasPrefix: "1502"}) { totalCount } }`, nil, &struct{}{})
		for _, s := range db.Statements.Recorded() {
			if strings.Contains(s.Query, " LIKE ") {
				t.Fatalf("auditLogs(where: {regionCodeHasPrefix}) sent LIKE: %s", s.Query)
			}
		}
	})
}
