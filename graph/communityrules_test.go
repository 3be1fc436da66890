package graph_test

import (
	"context"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/institution"
	"yanzhen/ent/region"
)

const setCommunityRules = `mutation($c: String!, $e: Boolean!) { setCommunityRules(countyCode: $c, exempt: $e) { code communitiesExempt } }`

// setCommunityRules: who may set it (an admin whose scope covers the
// county; everybody else is refused before the code is even read), what a
// code that is not a county's gets, the audit entry, and what the setting
// does to regionStatistics and alerts (regionKind) through the API.
func TestSetCommunityRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		// Two communities beside 土右旗's four villages, and a neighbour.
		c.Region.Create().SetCode("150221100204").SetName("萨拉齐社区").SetLevel(region.LevelVILLAGE).
			SetKind(region.KindCOMMUNITY).SetParent(w.township).SaveX(ctx)
		c.Region.Create().SetCode("150221101202").SetName("城关").SetLevel(region.LevelVILLAGE).
			SetKind(region.KindCOMMUNITY).SetParent(w.township2).SaveX(ctx)
		city := c.Region.Query().Where(region.Code("1502")).OnlyX(ctx)
		c.Region.Create().SetCode("150222").SetName("固阳县").SetLevel(region.LevelCOUNTY).SetParent(city).SaveX(ctx)
		uni := c.Institution.Create().SetName("内蒙古农业大学").SetKind(institution.KindUNIVERSITY).SaveX(ctx)

		national := newAPI(t, db)
		countyUser := newUser(t, db, "tumed", auth.RoleAdmin, "150221", 0, false)
		county := newAPIAs(t, db, countyUser)
		cityAdmin := newAPIAs(t, db, newUser(t, db, "baotou", auth.RoleAdmin, "1502", 0, false))
		exempt := func() bool {
			return c.Region.Query().Where(region.Code("150221")).OnlyX(ctx).CommunitiesExempt
		}
		vars := func(code string, e bool) map[string]any { return map[string]any{"c": code, "e": e} }

		// Refused, before anything is read: the township's, the village's
		// and the partner's users, the admin of another county (for this
		// county, a code of nowhere, or not a code at all), a county admin
		// for their city.
		refused := map[string]*api{
			"township": newAPIAs(t, db, newUser(t, db, "town", auth.RoleTownship, w.township.Code, 0, false)),
			"village":  newAPIAs(t, db, newUser(t, db, "village", auth.RoleVillage, w.villages[0].Code, 0, false)),
			"partner":  newAPIAs(t, db, newUser(t, db, "imau", auth.RolePartner, "", uni.ID, false)),
			"guyang":   newAPIAs(t, db, newUser(t, db, "guyang", auth.RoleAdmin, "150222", 0, false)),
		}
		for who, a := range refused {
			for _, code := range []string{"150221", "150299", "x", ""} {
				if r := a.fails("FORBIDDEN", setCommunityRules, vars(code, true)); r.Data != nil && string(r.Data) != "null" {
					t.Errorf("%s: data %s", who, r.Data)
				}
			}
		}
		county.fails("FORBIDDEN", setCommunityRules, vars("1502", true))
		county.fails("FORBIDDEN", setCommunityRules, vars("150222", true))
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", setCommunityRules, vars("150221", true))
		if exempt() {
			t.Fatal("a refused request changed the setting")
		}

		// Not a county's code: BAD_USER_INPUT on countyCode.
		for _, bad := range []struct {
			who  *api
			code string
		}{
			{county, w.township.Code}, {county, w.villages[0].Code}, {county, "150221x"}, {county, "1502210"},
			{national, "15"}, {national, "1502"}, {national, "150299"}, {national, "abc"}, {national, ""},
		} {
			r := bad.who.fails("BAD_USER_INPUT", setCommunityRules, vars(bad.code, true))
			if f := r.Errors[0].Extensions["field"]; f != "countyCode" {
				t.Errorf("%q: field %v", bad.code, f)
			}
			if !strings.Contains(r.Errors[0].Message, "/") {
				t.Errorf("%q: message %q is not bilingual", bad.code, r.Errors[0].Message)
			}
		}
		if exempt() {
			t.Fatal("a bad request changed the setting")
		}

		type figures struct {
			RegionStatistics struct {
				Villages, Communities, ExemptCommunities int
				Reserves                                 struct{ VillagesWithFewerThanTwo, CommunitiesWithFewerThanTwo int }
				Advisers                                 struct{ VillagesWithout, CommunitiesWithout int }
				Committee                                struct {
					OneShoulderVillages, OneShoulderCommunities int
					OneShoulderShare, OneShoulderCommunityShare *float64
				}
				Experts struct{ VillagesCovered, CommunitiesCovered int }
			}
			Villages, Communities, All struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Kind    string
						Region  struct{ Name string }
						Message struct{ Zh, En string }
					}
				}
			}
		}
		const q = `query($c: String!) {
			regionStatistics(code: $c) { villages communities exemptCommunities
				reserves { villagesWithFewerThanTwo communitiesWithFewerThanTwo }
				advisers { villagesWithout communitiesWithout }
				committee { oneShoulderVillages oneShoulderCommunities oneShoulderShare oneShoulderCommunityShare }
				experts { villagesCovered communitiesCovered } }
			villages: alerts(code: $c, kinds: [FEW_RESERVES, NO_SECRETARY], regionKind: VILLAGE, first: 50) {
				totalCount edges { node { kind region { name } message { zh en } } } }
			communities: alerts(code: $c, kinds: [FEW_RESERVES, NO_SECRETARY], regionKind: COMMUNITY, first: 50) {
				totalCount edges { node { kind region { name } message { zh en } } } }
			all: alerts(code: $c, kinds: [FEW_RESERVES, NO_SECRETARY], first: 50) { totalCount } }`
		look := func(who *api, code string) figures {
			var out figures
			who.ok(q, map[string]any{"c": code}, &out)
			return out
		}

		// Held to the rules: no posts anywhere, so all 4 villages and both
		// communities are short of reserves, without an adviser and a
		// secretary: 8 village alerts, 4 community alerts.
		f := look(county, "150221")
		s := f.RegionStatistics
		if s.Villages != 4 || s.Communities != 2 || s.ExemptCommunities != 0 ||
			s.Reserves.VillagesWithFewerThanTwo != 4 || s.Reserves.CommunitiesWithFewerThanTwo != 2 ||
			s.Advisers.VillagesWithout != 4 || s.Advisers.CommunitiesWithout != 2 ||
			s.Committee.OneShoulderShare == nil || *s.Committee.OneShoulderShare != 0 ||
			s.Committee.OneShoulderCommunityShare == nil || *s.Committee.OneShoulderCommunityShare != 0 {
			t.Errorf("held to the rules: %+v", s)
		}
		if f.Villages.TotalCount != 8 || f.Communities.TotalCount != 4 || f.All.TotalCount != 12 {
			t.Errorf("alerts held to the rules: %d villages', %d communities', %d in all", f.Villages.TotalCount, f.Communities.TotalCount, f.All.TotalCount)
		}
		for _, e := range f.Communities.Edges {
			if !strings.Contains(e.Node.Message.Zh, "社区") || !strings.HasPrefix(e.Node.Message.En, "community ") ||
				strings.Contains(e.Node.Message.En, "village") {
				t.Errorf("a community's alert says %+v", e.Node.Message)
			}
		}
		for _, e := range f.Villages.Edges {
			if !strings.HasPrefix(e.Node.Message.En, "village ") || strings.Contains(e.Node.Message.Zh, "社区") {
				t.Errorf("a village's alert says %+v", e.Node.Message)
			}
		}

		// The county admin exempts its communities.
		var set struct {
			SetCommunityRules struct {
				Code              string
				CommunitiesExempt bool
			}
		}
		county.ok(setCommunityRules, vars("150221", true), &set)
		if set.SetCommunityRules.Code != "150221" || !set.SetCommunityRules.CommunitiesExempt || !exempt() {
			t.Fatalf("set: %+v (stored %v)", set, exempt())
		}
		var read struct {
			Region struct{ CommunitiesExempt bool }
		}
		county.ok(`{ region(code: "150221") { communitiesExempt } }`, nil, &read)
		if !read.Region.CommunitiesExempt {
			t.Error("Region.communitiesExempt does not say so")
		}
		entries := c.AuditLog.Query().Where(auditlog.EntityType("Region"), auditlog.ActionEQ(auditlog.ActionUPDATE)).AllX(ctx)
		if len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != countyUser.UserID || entries[0].RegionCode != "150221" ||
			entries[0].Before["communities_exempt"] != false || entries[0].After["communities_exempt"] != true {
			t.Errorf("audit: %+v", entries)
		}

		f = look(county, "150221")
		s = f.RegionStatistics
		if s.Villages != 4 || s.Communities != 2 || s.ExemptCommunities != 2 ||
			s.Reserves.VillagesWithFewerThanTwo != 4 || s.Reserves.CommunitiesWithFewerThanTwo != 0 ||
			s.Advisers.VillagesWithout != 4 || s.Advisers.CommunitiesWithout != 0 || s.Committee.OneShoulderCommunityShare != nil {
			t.Errorf("exempt: %+v", s)
		}
		if f.Villages.TotalCount != 8 || f.Communities.TotalCount != 0 || f.All.TotalCount != 8 {
			t.Errorf("alerts when exempt: %d villages', %d communities', %d in all", f.Villages.TotalCount, f.Communities.TotalCount, f.All.TotalCount)
		}
		// A township of the county reads the same rule.
		if f := look(national, w.township.Code); f.RegionStatistics.ExemptCommunities != 1 || f.Communities.TotalCount != 0 {
			t.Errorf("萨拉齐镇 when exempt: %+v", f.RegionStatistics)
		}

		// The city's admin holds them to the rules again.
		cityAdmin.ok(setCommunityRules, vars("150221", false), &set)
		if set.SetCommunityRules.CommunitiesExempt || exempt() {
			t.Fatal("the city admin did not undo the setting")
		}
		if f := look(national, "150221"); f.Communities.TotalCount != 4 || f.RegionStatistics.Reserves.CommunitiesWithFewerThanTwo != 2 {
			t.Errorf("held again: %+v, %d community alerts", f.RegionStatistics, f.Communities.TotalCount)
		}
	})
}
