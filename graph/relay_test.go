package graph_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
)

func TestPageSizes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		a := newAPI(t, db)
		w := makeWorld(t, db.Client)
		ctx := auth.System(context.Background())
		for i := 0; i < 25; i++ {
			db.Client.Region.Create().SetCode(fmt.Sprintf("150221101%03d", 300+i)).SetName(fmt.Sprintf("新村%d", i)).
				SetLevel(region.LevelVILLAGE).SetParent(w.township2).SaveX(ctx)
		}
		type page struct {
			TotalCount int
			PageInfo   struct{ HasNextPage, HasPreviousPage bool }
			Edges      []struct{ Node struct{ Code string } }
		}
		t.Run("a root connection without first returns the default 20", func(t *testing.T) {
			var out struct{ Regions page }
			a.ok(`{ regions(where: {level: VILLAGE}) { totalCount pageInfo { hasNextPage } edges { node { code } } } }`, nil, &out)
			if out.Regions.TotalCount != 29 || len(out.Regions.Edges) != 20 || !out.Regions.PageInfo.HasNextPage {
				t.Fatalf("got %d of %d, next %v", len(out.Regions.Edges), out.Regions.TotalCount, out.Regions.PageInfo.HasNextPage)
			}
		})
		t.Run("a nested connection without first returns the default 20", func(t *testing.T) {
			var out struct{ Region struct{ Children page } }
			a.ok(`{ region(code: "150221101") { children { totalCount pageInfo { hasNextPage } edges { node { code } } } } }`, nil, &out)
			if out.Region.Children.TotalCount != 26 || len(out.Region.Children.Edges) != 20 || !out.Region.Children.PageInfo.HasNextPage {
				t.Fatalf("got %+v", out.Region.Children)
			}
		})
		t.Run("paging backwards with before gets the default last", func(t *testing.T) {
			var first struct {
				Regions struct {
					PageInfo struct{ EndCursor string }
				}
			}
			a.ok(`{ regions(first: 25, orderBy: {field: CODE}) { pageInfo { endCursor } edges { cursor } } }`, nil, &first)
			var out struct{ Regions page }
			a.ok(`query($c: Cursor) { regions(before: $c, orderBy: {field: CODE}) { pageInfo { hasPreviousPage } edges { node { code } } } }`,
				map[string]any{"c": first.Regions.PageInfo.EndCursor}, &out)
			if len(out.Regions.Edges) != 20 || !out.Regions.PageInfo.HasPreviousPage {
				t.Fatalf("got %d edges, previous %v", len(out.Regions.Edges), out.Regions.PageInfo.HasPreviousPage)
			}
		})
		t.Run("more than 100 is refused, not cut", func(t *testing.T) {
			a.fails("BAD_USER_INPUT", `{ regions(first: 101) { totalCount } }`, nil)
			a.fails("BAD_USER_INPUT", `query($n: Int) { regions(last: $n) { totalCount } }`, map[string]any{"n": 1000000})
			a.fails("BAD_USER_INPUT", `{ region(code: "15") { children(first: 500) { totalCount } } }`, nil)
			a.fails("BAD_USER_INPUT", `{ regions(first: -1) { totalCount } }`, nil)
			var out struct{ Regions page }
			a.ok(`{ regions(first: 100) { edges { node { code } } } }`, nil, &out)
			if len(out.Regions.Edges) != 34 { // every region: 1+1+1+2+4+25
				t.Fatalf("first: 100 gave %d", len(out.Regions.Edges))
			}
		})
	})
}

func TestGlobalIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		a := newAPI(t, db)
		w := makeWorld(t, db.Client)
		p := a.person("王建国")
		t.Run("IDs are opaque and resolve through node and nodes", func(t *testing.T) {
			var out struct {
				Node  struct{ Typename, Name string } `json:"node"`
				Nodes []struct {
					Typename string `json:"__typename"`
					Code     string
				}
			}
			a.ok(`query($p: ID!, $ids: [ID!]!) {
				node(id: $p) { Typename: __typename ... on Person { name } }
				nodes(ids: $ids) { __typename ... on Region { code } }
			}`, map[string]any{"p": p, "ids": []string{gid(w.county.ID), gid(w.villages[3].ID)}}, &out)
			if out.Node.Typename != "Person" || out.Node.Name != "王建国" {
				t.Fatalf("node: %+v", out.Node)
			}
			if len(out.Nodes) != 2 || out.Nodes[0].Code != "150221" || out.Nodes[1].Code != "150221101201" {
				t.Fatalf("nodes: %+v", out.Nodes)
			}
			if _, err := fmt.Sscan(p, new(int)); err == nil {
				t.Fatalf("ID %q is a bare number, not opaque", p)
			}
		})
		t.Run("malformed and forged IDs are bad input", func(t *testing.T) {
			for _, id := range []string{
				"not-an-id", "", "42",
				base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("Region:%d", w.county.ID-firstID(t, "Region")+firstID(t, "Person")))), // a Person number labelled Region
				base64.RawURLEncoding.EncodeToString([]byte("Person:abc")),
			} {
				a.fails("BAD_USER_INPUT", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			}
		})
	})
}

func TestRegionQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		a := newAPI(t, db)
		makeWorld(t, db.Client)
		var out struct {
			Region struct {
				Name      string
				Level     string
				Parent    struct{ Code string }
				Ancestors []struct{ Code string }
				Children  struct{ TotalCount int }
			}
			Missing *struct{ Name string }
			Within  struct{ TotalCount int }
		}
		a.ok(`{
			region(code: "150221100") { name level parent { code } ancestors { code } children { totalCount } }
			missing: region(code: "999999") { name }
			within: regions(within: "150221100") { totalCount }
		}`, nil, &out)
		r := out.Region
		if r.Name != "萨拉齐镇" || r.Level != "TOWNSHIP" || r.Parent.Code != "150221" || r.Children.TotalCount != 3 {
			t.Fatalf("region: %+v", r)
		}
		if len(r.Ancestors) != 3 || r.Ancestors[0].Code != "15" || r.Ancestors[2].Code != "150221" {
			t.Fatalf("ancestors: %+v", r.Ancestors)
		}
		if out.Missing != nil {
			t.Fatal("an unknown code should give null")
		}
		if out.Within.TotalCount != 4 { // the township and its three villages, not 双龙镇's
			t.Fatalf("within: %d", out.Within.TotalCount)
		}
		a.fails("BAD_USER_INPUT", `{ regions(within: "15x") { totalCount } }`, nil)
	})
}

// villageGraph is the nested query of the statement-count test: villages,
// their posts with the person, their adviser appointments with the person and
// the contact logs.
const villageGraph = `query($n: Int!) {
	regions(first: $n, where: {level: VILLAGE, nameHasPrefix: "测试村"}, orderBy: {field: CODE}) {
		edges { node {
			code name
			posts(first: 10) { totalCount edges { node { role startDate person { name gender } } } }
			adviserAppointments(first: 10) { edges { node { kind person { name }
				contactLogs(first: 10) { edges { node { date mode } } } } } }
		} }
	}
}`

// The number of SQL statements for a nested query depends on its depth,
// never on the number of rows.
func TestNoNPlusOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		for i := 0; i < 20; i++ {
			v := c.Region.Create().SetCode(fmt.Sprintf("150221100%03d", 400+i)).SetName(fmt.Sprintf("测试村%d", i)).
				SetLevel(region.LevelVILLAGE).SetParent(w.township).SaveX(ctx)
			for j := 0; j < 3; j++ {
				p := c.Person.Create().SetName(fmt.Sprintf("村干部%d-%d", i, j)).SaveX(ctx)
				c.Post.Create().SetPerson(p).SetRegion(v).SetRole("COMMITTEE_MEMBER").SetStartDate(date("2021-01-01")).SaveX(ctx)
			}
			adviser := c.Person.Create().SetName(fmt.Sprintf("顾问%d", i)).SaveX(ctx)
			ap := c.AdviserAppointment.Create().SetPerson(adviser).SetVillage(v).SetKind("DEVELOPMENT_ADVISER").SetStartDate(date("2023-01-01")).SaveX(ctx)
			for k := 0; k < 2; k++ {
				c.ContactLog.Create().SetAppointment(ap).SetDate(date(fmt.Sprintf("2024-0%d-15", k+1))).SetMode("PHONE").SaveX(ctx)
			}
		}
		a := newAPI(t, db)
		measure := func(n int) (int64, int) {
			var out struct {
				Regions struct {
					Edges []struct {
						Node struct {
							Posts struct {
								Edges []struct {
									Node struct{ Person struct{ Name string } }
								}
							}
							AdviserAppointments struct {
								Edges []struct {
									Node struct {
										Person      struct{ Name string }
										ContactLogs struct{ Edges []any }
									}
								}
							}
						}
					}
				}
			}
			db.Statements.Reset()
			a.ok(villageGraph, map[string]any{"n": n}, &out)
			rows := 0
			for _, e := range out.Regions.Edges {
				for _, p := range e.Node.Posts.Edges {
					if p.Node.Person.Name != "" {
						rows++
					}
				}
				for _, ap := range e.Node.AdviserAppointments.Edges {
					rows += len(ap.Node.ContactLogs.Edges)
				}
			}
			return db.Statements.Count(), rows
		}
		two, rows2 := measure(2)
		twenty, rows20 := measure(20)
		if rows20 <= rows2*5 {
			t.Fatalf("fixture too small: %d rows for 20 villages, %d for 2", rows20, rows2)
		}
		if two != twenty {
			t.Fatalf("statements: %d for 2 villages, %d for 20 — the query grows with rows", two, twenty)
		}
		t.Logf("%d statements for 2 and for 20 villages", two)
		// Regions, posts with their people (folded), the posts' count,
		// appointments with their people (folded), contact logs: a change
		// that adds a statement per level, or stops folding, shows here.
		if two > 5 {
			t.Fatalf("the village graph takes %d statements, more than the 5 it took", two)
		}

		// A region's ancestors load what is selected below them with the
		// ancestors: as many statements for a village (4 ancestors) as for a
		// county (2).
		lineage := func(code string) (int64, int) {
			var out struct {
				Region struct {
					Ancestors []struct {
						Parent   *struct{ Code string }
						Children struct{ Edges []any }
					}
				}
			}
			db.Statements.Reset()
			a.ok(`query($c: String!) { region(code: $c) { ancestors { code parent { code }
				children(first: 5) { totalCount edges { node { code name } } } } } }`, map[string]any{"c": code}, &out)
			return db.Statements.Count(), len(out.Region.Ancestors)
		}
		county, n2 := lineage(w.county.Code)
		village, n4 := lineage(w.villages[0].Code)
		if n2 != 2 || n4 != 4 {
			t.Fatalf("fixture: %d and %d ancestors", n2, n4)
		}
		if county != village {
			t.Fatalf("ancestors: %d statements for 2 ancestors, %d for 4 — they grow with the ancestors", county, village)
		}
		t.Logf("%d statements for a region's ancestors with their parents and children", village)
		// The region; its ancestors with their parents (folded); their
		// children; the children's count.
		if village > 4 {
			t.Fatalf("a region's ancestors take %d statements, more than the 4 they took", village)
		}
	})
}
