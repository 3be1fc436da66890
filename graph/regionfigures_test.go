package graph_test

import (
	"context"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/insight"
)

// The kept figures of a province (region_figures) answer regionStatistics
// and alerts' totalCount with their computedAt; a write makes the next
// answer live again; and the viewer's scope is checked before any kept
// figure is read: a county admin cannot read another province's, anonymous
// nobody's.
func TestKeptFiguresThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		p11 := c.Region.Create().SetCode("11").SetName("北京市").SetLevel(region.LevelPROVINCE).SaveX(ctx)
		c1101 := c.Region.Create().SetCode("1101").SetName("市辖区").SetLevel(region.LevelCITY).SetParent(p11).SaveX(ctx)
		hd := c.Region.Create().SetCode("110108").SetName("海淀区").SetLevel(region.LevelCOUNTY).SetParent(c1101).SaveX(ctx)
		hdt := c.Region.Create().SetCode("110108001").SetName("街道").SetLevel(region.LevelTOWNSHIP).SetParent(hd).SaveX(ctx)
		hdv := c.Region.Create().SetCode("110108001001").SetName("社区").SetLevel(region.LevelVILLAGE).
			SetKind(region.KindCOMMUNITY).SetParent(hdt).SaveX(ctx)
		zhang := c.Person.Create().SetName("张慧婷").SaveX(ctx)
		li := c.Person.Create().SetName("李明").SaveX(ctx)
		c.Post.Create().SetPerson(zhang).SetRegion(w.villages[0]).SetRole(post.RoleSECRETARY_AND_DIRECTOR).SetStartDate(date("2021-01-01")).SaveX(ctx)
		c.Post.Create().SetPerson(li).SetRegion(hdv).SetRole(post.RolePARTY_SECRETARY).SetStartDate(date("2021-01-01")).SaveX(ctx)

		// The refresher's clock, in whole seconds (of today's date): a kept
		// answer shows exactly this time, a live one the time of its request.
		refreshed := time.Now().Truncate(time.Second)
		r := &insight.Refresher{Client: c, Thresholds: insight.DefaultAlertThresholds, Now: func() time.Time { return refreshed }}
		if err := r.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		for found := true; found; {
			var err error
			if found, err = r.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}

		national := newAPI(t, db)
		type answer struct {
			RegionStatistics struct {
				ComputedAt time.Time
				Committee  struct{ Members int }
				Children   []struct{ ComputedAt time.Time }
			}
			Alerts struct{ TotalCount int }
		}
		const q = `query($c: String!) { regionStatistics(code: $c) { computedAt committee { members } children { computedAt } }
			alerts(code: $c) { totalCount } }`
		var out answer
		national.ok(q, map[string]any{"c": "15"}, &out)
		s := out.RegionStatistics
		if !s.ComputedAt.Equal(refreshed) || s.Committee.Members != 1 || len(s.Children) != 1 || !s.Children[0].ComputedAt.Equal(refreshed) {
			t.Fatalf("kept statistics of 15: %+v, want computedAt %s", s, refreshed)
		}
		// 4 villages short of reserves, 3 without a secretary, and 张慧婷
		// had no training last year (TRAINING_BELOW_MINIMUM).
		if out.Alerts.TotalCount != 8 {
			t.Fatalf("kept alert count of 15: %d, want 8", out.Alerts.TotalCount)
		}

		// The whole country (code ""): kept too, broken down by province.
		type nation struct {
			RegionStatistics struct {
				Region     *struct{ Code string }
				ComputedAt time.Time
				Committee  struct{ Members int }
				Children   []struct {
					Region    struct{ Code string }
					Committee struct{ Members int }
				}
			}
			Alerts struct{ TotalCount int }
		}
		const nq = `{ regionStatistics(code: "") { region { code } computedAt committee { members }
			children { region { code } committee { members } } } alerts(code: "") { totalCount } }`
		var all nation
		national.ok(nq, nil, &all)
		ns := all.RegionStatistics
		if ns.Region != nil || !ns.ComputedAt.Equal(refreshed) || ns.Committee.Members != 2 || len(ns.Children) != 2 ||
			ns.Children[0].Region.Code != "11" || ns.Children[1].Region.Code != "15" ||
			ns.Children[0].Committee.Members != 1 || ns.Children[1].Committee.Members != 1 {
			t.Fatalf("kept statistics of the country: %+v", ns)
		}
		// 15's 8, and 11's community without a reserve (communities count
		// in that rule) and 李明 without training.
		if all.Alerts.TotalCount != 10 {
			t.Fatalf("kept alert count of the country: %d, want 10", all.Alerts.TotalCount)
		}

		// A write through the API: the next answer is computed for the
		// request.
		before := time.Now().Add(-time.Millisecond)
		wang := national.person("王建国")
		national.ok(`mutation($p: ID!, $r: ID!) { createPost(input: {personID: $p, regionID: $r, role: COMMITTEE_MEMBER, startDate: "2021-01-01"}) { id } }`,
			map[string]any{"p": wang, "r": gid(w.villages[1].ID)}, nil)
		national.ok(q, map[string]any{"c": "15"}, &out)
		if s := out.RegionStatistics; s.ComputedAt.Before(before) || s.Committee.Members != 2 {
			t.Fatalf("after a write, the statistics of 15 are %+v (computed before the write?)", s)
		}
		// 王建国 joins the committee, untrained.
		if out.Alerts.TotalCount != 9 {
			t.Fatalf("alert count of 15 after the write: %d, want 9", out.Alerts.TotalCount)
		}
		national.ok(nq, nil, &all)
		if ns := all.RegionStatistics; ns.ComputedAt.Before(before) || ns.Committee.Members != 3 || ns.Children[1].Committee.Members != 2 {
			t.Fatalf("after a write, the statistics of the country are %+v (computed before the write?)", ns)
		}

		// Scope first: 11's figures are kept, yet out of the county's sight.
		county := newAPIAs(t, db, newUser(t, db, "tumed", auth.RoleAdmin, "150221", 0, true))
		anon := newAPIAs(t, db, nil)
		for _, code := range []string{"11", "1101", "15"} {
			vars := map[string]any{"c": code}
			county.fails("FORBIDDEN", `query($c: String!) { regionStatistics(code: $c) { computedAt committee { members } } }`, vars)
			county.fails("FORBIDDEN", `query($c: String!) { alerts(code: $c) { totalCount } }`, vars)
			anon.fails("UNAUTHENTICATED", `query($c: String!) { regionStatistics(code: $c) { computedAt committee { members } } }`, vars)
			anon.fails("UNAUTHENTICATED", `query($c: String!) { alerts(code: $c) { totalCount } }`, vars)
		}
		// The country is for national admins only.
		township := newAPIAs(t, db, newUser(t, db, "township", auth.RoleTownship, w.villages[0].Code[:9], 0, false))
		for _, who := range []*api{county, township} {
			who.fails("FORBIDDEN", `{ regionStatistics(code: "") { computedAt } }`, nil)
			who.fails("FORBIDDEN", `{ alerts(code: "") { totalCount } }`, nil)
		}
		anon.fails("UNAUTHENTICATED", `{ regionStatistics(code: "") { computedAt } }`, nil)
		anon.fails("UNAUTHENTICATED", `{ alerts(code: "") { totalCount } }`, nil)
		national.ok(`{ regionStatistics(code: "11") { computedAt committee { members } children { computedAt } } alerts(code: "11") { totalCount } }`, nil, &out)
		if !out.RegionStatistics.ComputedAt.Equal(refreshed) || out.RegionStatistics.Committee.Members != 1 {
			t.Fatalf("kept statistics of 11: %+v", out.RegionStatistics)
		}
	})
}
