package graph_test

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/demand"
	"yanzhen/ent/institution"
	"yanzhen/ent/post"
	"yanzhen/vocab"
)

// End to end through the GraphQL handler: lineage, statistics, alerts with
// cursors, search, matching and confirming, timeline and post holders.
func TestInsightAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		a := newAPI(t, db)
		v := w.villages
		zhang := c.Person.Create().SetName("张慧婷").SetGender("FEMALE").SetBirthDate(date("1990-07-01")).SaveX(ctx)
		wang := c.Person.Create().SetName("王建国").SetGender("MALE").SetBirthDate(date("1970-01-01")).SaveX(ctx)
		li := c.Person.Create().SetName("李明").SaveX(ctx)
		c.Post.Create().SetPerson(zhang).SetRegion(v[0]).SetRole(post.RoleSECRETARY_AND_DIRECTOR).SetStartDate(date("2021-01-01")).SaveX(ctx)
		c.Post.Create().SetPerson(wang).SetRegion(v[3]).SetRole(post.RoleCOMMITTEE_MEMBER).SetStartDate(date("2021-01-01")).SaveX(ctx)
		c.Mentorship.Create().SetMentor(zhang).SetMentee(wang).SetProgram("QINGLAN").SetStartDate(date("2022-01-01")).SetRegion(v[0]).SaveX(ctx)
		c.Mentorship.Create().SetMentor(wang).SetMentee(li).SetProgram("QINGLAN").SetStartDate(date("2023-01-01")).SaveX(ctx)

		t.Run("lineage", func(t *testing.T) {
			var out struct {
				MentorLineage []struct {
					Person        struct{ Name string }
					Depth         int
					Path          []string
					Mentorship    *struct{ Program string }
					ActiveMentees int
				}
			}
			a.ok(`query($p: ID!) { mentorLineage(personID: $p, depth: 10) { person { name } depth path mentorship { program } activeMentees } }`,
				map[string]any{"p": gid(zhang.ID)}, &out)
			l := out.MentorLineage
			if len(l) != 3 || l[0].Person.Name != "张慧婷" || l[0].Mentorship != nil || l[0].ActiveMentees != 1 ||
				l[2].Person.Name != "李明" || l[2].Depth != 2 || len(l[2].Path) != 3 || l[2].Path[1] != gid(wang.ID) ||
				l[2].Mentorship.Program != "QINGLAN" {
				t.Errorf("lineage: %+v", l)
			}
			a.ok(`query($p: ID!) { mentorLineage(personID: $p, direction: ANCESTORS, depth: 0) { person { name } } }`,
				map[string]any{"p": gid(li.ID)}, &out)
			if len(out.MentorLineage) != 1 || out.MentorLineage[0].Person.Name != "李明" {
				t.Errorf("depth 0: %+v", out.MentorLineage)
			}
			a.fails("BAD_USER_INPUT", `query($p: ID!) { mentorLineage(personID: $p, depth: 11) { depth } }`, map[string]any{"p": gid(zhang.ID)})
			a.fails("NOT_FOUND", `query($p: ID!) { mentorLineage(personID: $p) { depth } }`, map[string]any{"p": gid(w.county.ID + 1000)})
		})

		t.Run("statistics", func(t *testing.T) {
			var out struct {
				RegionStatistics struct {
					Villages  int
					Committee struct {
						Members             int
						OneShoulderVillages int
						AgedUpTo35          int
					}
					Children []struct {
						Region    struct{ Code string }
						Committee struct{ Members int }
					}
				}
			}
			a.ok(`{ regionStatistics(code: "150221", asOf: "2024-06-30") { villages committee { members oneShoulderVillages agedUpTo35 }
				children { region { code } committee { members } } } }`, nil, &out)
			s := out.RegionStatistics
			if s.Villages != 4 || s.Committee.Members != 2 || s.Committee.OneShoulderVillages != 1 || s.Committee.AgedUpTo35 != 1 ||
				len(s.Children) != 2 || s.Children[0].Committee.Members != 1 || s.Children[1].Region.Code != "150221101" {
				t.Errorf("statistics: %+v", s)
			}
			a.fails("BAD_USER_INPUT", `{ regionStatistics(code: "x") { villages } }`, nil)
			a.fails("NOT_FOUND", `{ regionStatistics(code: "990000") { villages } }`, nil)
		})

		t.Run("alerts page by page", func(t *testing.T) {
			// Every village has fewer than 2 reserves (4 alerts); 大城西村,
			// 西老藏营村 and 双龙村 have no secretary (3).
			type page struct {
				Alerts struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   *string
					}
					Edges []struct {
						Node struct {
							Kind   string
							Region struct{ Name string }
							Node   struct {
								Typename string `json:"__typename"`
							}
							Message struct{ Zh, En string }
						}
					}
				}
			}
			var kinds []string
			var after *string
			for i := 0; i < 4; i++ {
				var out page
				// The world has no training records: its two 两委 members'
				// TRAINING_BELOW_MINIMUM alerts are left out (training_test.go).
				a.ok(`query($after: Cursor) { alerts(code: "150221", asOf: "2024-06-30", first: 3, after: $after,
					kinds: [FEW_RESERVES, NO_SECRETARY, ADVISER_NOT_CONTACTED, MENTORSHIP_OVERDUE, EXPERT_INACTIVE,
						DEMAND_OPEN_TOO_LONG, RANKED_LAST, ASSESSED_INCOMPETENT, DUTY_OVERDUE]) {
					totalCount pageInfo { hasNextPage endCursor }
					edges { node { kind region { name } node { __typename } message { zh en } } } } }`,
					map[string]any{"after": after}, &out)
				if out.Alerts.TotalCount != 7 {
					t.Fatalf("total %d", out.Alerts.TotalCount)
				}
				for _, e := range out.Alerts.Edges {
					if e.Node.Node.Typename != "Region" || e.Node.Message.Zh == "" {
						t.Errorf("alert: %+v", e.Node)
					}
					kinds = append(kinds, e.Node.Kind+" "+e.Node.Region.Name)
				}
				if !out.Alerts.PageInfo.HasNextPage {
					break
				}
				after = out.Alerts.PageInfo.EndCursor
			}
			want := []string{"FEW_RESERVES 三道河村", "FEW_RESERVES 大城西村", "FEW_RESERVES 西老藏营村", "FEW_RESERVES 双龙村",
				"NO_SECRETARY 大城西村", "NO_SECRETARY 西老藏营村", "NO_SECRETARY 双龙村"}
			if len(kinds) != len(want) {
				t.Fatalf("alerts: %v", kinds)
			}
			for i := range want {
				if kinds[i] != want[i] {
					t.Errorf("alert %d: %s, want %s", i, kinds[i], want[i])
				}
			}
			a.fails("BAD_USER_INPUT", `{ alerts(code: "150221", first: 101) { totalCount } }`, nil)
		})

		t.Run("search", func(t *testing.T) {
			var out struct {
				Search []struct {
					Kind, MatchedBy string
					Node            struct{ Name string }
				}
			}
			a.ok(`{ search(query: "zht") { kind matchedBy node { ... on Person { name } } } }`, nil, &out)
			if len(out.Search) != 1 || out.Search[0].Node.Name != "张慧婷" || out.Search[0].MatchedBy != "INITIALS" {
				t.Errorf("zht: %+v", out.Search)
			}
			a.ok(`{ search(query: "双龙", kinds: [REGION]) { kind node { ... on Region { name } } } }`, nil, &out)
			if len(out.Search) != 2 || out.Search[0].Node.Name != "双龙镇" {
				t.Errorf("双龙: %+v", out.Search)
			}
			a.fails("BAD_USER_INPUT", `{ search(query: " ") { kind } }`, nil)
			a.fails("BAD_USER_INPUT", `{ search(query: "zht", first: 101) { kind } }`, nil)
		})

		t.Run("match and confirm", func(t *testing.T) {
			u := c.Institution.Create().SetName("农大").SetKind(institution.KindUNIVERSITY).SetRegion(w.county).SaveX(ctx)
			expert := c.Person.Create().SetName("蔬菜专家").SetInstitution(u).SetExpertise([]vocab.AgriculturalField{"VEGETABLES"}).SaveX(ctx)
			d := c.Demand.Create().SetRegion(v[1]).SetField("VEGETABLES").SetDescription("大棚蔬菜病害").SaveX(ctx)
			none := c.Demand.Create().SetRegion(v[1]).SetField("AQUACULTURE").SetDescription("鱼塘").SaveX(ctx)
			var out struct {
				MatchCandidates []struct {
					Expert      struct{ Name string }
					Institution struct{ Name string }
					Score       float64
					Proximity   float64
					Reasons     []struct{ Zh, En string }
				}
			}
			a.ok(`query($d: ID!) { matchCandidates(demandID: $d) { expert { name } institution { name } score proximity reasons { zh en } } }`,
				map[string]any{"d": gid(d.ID)}, &out)
			m := out.MatchCandidates
			// Same county, exact field, idle, no prior work: .30 + .20 + .15.
			if len(m) != 1 || m[0].Expert.Name != "蔬菜专家" || m[0].Institution.Name != "农大" || m[0].Proximity != 1 ||
				m[0].Score < 0.649 || m[0].Score > 0.651 || len(m[0].Reasons) != 4 {
				t.Errorf("candidates: %+v", m)
			}
			a.ok(`query($d: ID!) { matchCandidates(demandID: $d) { score } }`, map[string]any{"d": gid(none.ID)}, &out)
			if len(out.MatchCandidates) != 0 {
				t.Errorf("a demand nobody fits: %+v", out.MatchCandidates)
			}
			var conf struct {
				ConfirmMatch struct {
					Expert struct{ Name string }
					Region struct{ Code string }
					Demand struct{ Status string }
				}
			}
			a.ok(`mutation($d: ID!, $e: ID!) { confirmMatch(demandID: $d, expertID: $e, startDate: "2024-07-01", confirmedBy: "王科长") {
				expert { name } region { code } demand { status } } }`, map[string]any{"d": gid(d.ID), "e": gid(expert.ID)}, &conf)
			if conf.ConfirmMatch.Expert.Name != "蔬菜专家" || conf.ConfirmMatch.Region.Code != v[1].Code || conf.ConfirmMatch.Demand.Status != "MATCHED" {
				t.Errorf("confirm: %+v", conf)
			}
			a.fails("CONFLICT", `mutation($d: ID!, $e: ID!) { confirmMatch(demandID: $d, expertID: $e, startDate: "2024-07-01", confirmedBy: "王科长") { id } }`,
				map[string]any{"d": gid(d.ID), "e": gid(expert.ID)})
			// A failed confirmation writes nothing: the region is a city, so
			// the assignment is refused and the demand stays open.
			a.fails("BAD_USER_INPUT", `mutation($d: ID!, $e: ID!, $r: ID!) { confirmMatch(demandID: $d, expertID: $e, regionID: $r, startDate: "2024-07-01", confirmedBy: "王科长") { id } }`,
				map[string]any{"d": gid(none.ID), "e": gid(expert.ID), "r": gid(*w.county.ParentID)})
			if s := c.Demand.GetX(ctx, none.ID).Status; s != demand.StatusOPEN {
				t.Errorf("status after a failed confirmation: %s", s)
			}
		})

		t.Run("history", func(t *testing.T) {
			var out struct {
				PersonTimeline []struct {
					Kind        string
					Title       string
					StartDate   string
					Region      *struct{ Name string }
					Counterpart *struct{ Name string }
					Node        struct {
						Typename string `json:"__typename"`
					}
				}
				PostHolders []struct{ Person struct{ Name string } }
				Before      []struct{ ID string }
			}
			a.ok(`query($p: ID!, $v: ID!) {
				personTimeline(personID: $p) { kind title startDate region { name } counterpart { name } node { __typename } }
				postHolders(regionID: $v, role: SECRETARY_AND_DIRECTOR, on: "2022-05-01") { person { name } }
				before: postHolders(regionID: $v, role: SECRETARY_AND_DIRECTOR, on: "2020-12-31") { id }
			}`, map[string]any{"p": gid(wang.ID), "v": gid(v[0].ID)}, &out)
			tl := out.PersonTimeline
			if len(tl) != 3 || tl[0].Kind != "POST" || tl[0].Region.Name != "双龙村" || tl[0].Node.Typename != "Post" ||
				tl[1].Kind != "MENTORED" || tl[1].Counterpart.Name != "张慧婷" || tl[1].Node.Typename != "Mentorship" ||
				tl[2].Kind != "MENTORING" || tl[2].Counterpart.Name != "李明" || tl[2].Region != nil {
				t.Errorf("timeline: %+v", tl)
			}
			if len(out.PostHolders) != 1 || out.PostHolders[0].Person.Name != "张慧婷" || len(out.Before) != 0 {
				t.Errorf("holders: %+v", out)
			}
		})
	})
}
