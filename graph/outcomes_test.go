package graph_test

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/contribution"
	"yanzhen/ent/post"
)

// An outcome chain goes lead → visit → project → funds in one village; the
// totals per village and adviser count what the test wrote here.
func TestOutcomeChains(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		vA, vB := s.villages[0], s.villages[1]
		create := `mutation($in: CreateContributionInput!) { createContribution(input: $in) { id } }`
		add := func(kind string, village *ent.Region, day string, yuan int, follows string) string {
			t.Helper()
			in := map[string]any{"kind": kind, "villageID": gid(village.ID), "appointmentID": gid(s.apptA.ID), "date": day, "amountYuan": yuan}
			if follows != "" {
				in["followsID"] = follows
			}
			var out struct{ CreateContribution struct{ ID string } }
			newAPIAs(t, db, s.county).ok(create, map[string]any{"in": in}, &out)
			return out.CreateContribution.ID
		}
		bad := func(kind string, village *ent.Region, day string, follows string) {
			t.Helper()
			in := map[string]any{"kind": kind, "villageID": gid(village.ID), "appointmentID": gid(s.apptA.ID), "date": day, "followsID": follows}
			resp := newAPIAs(t, db, s.county).fails("BAD_USER_INPUT", create, map[string]any{"in": in})
			if resp.Errors[0].Extensions["field"] != "followsID" {
				t.Fatalf("the error does not name followsID: %s", resp.Raw)
			}
		}
		// Two leads, one visited, which landed a project funded twice.
		lead1 := add("INVESTMENT_LEAD", vA, "2024-01-10", 0, "")
		add("INVESTMENT_LEAD", vA, "2024-02-10", 0, "")
		visit := add("SITE_VISIT", vA, "2024-03-01", 0, lead1)
		project := add("PROJECT_LANDED", vA, "2024-05-01", 0, visit)
		add("FUNDS", vA, "2024-06-01", 3_000_000, project)
		add("FUNDS", vA, "2024-09-01", 1_000_000, project)
		// Out of order, another village, or before the step it follows.
		bad("FUNDS", vA, "2024-06-01", visit)
		bad("SITE_VISIT", vA, "2024-06-01", visit)
		bad("SITE_VISIT", vB, "2024-06-01", lead1)
		bad("SITE_VISIT", vA, "2023-12-01", lead1)
		// A chain cannot be re-linked out of order afterwards either.
		newAPIAs(t, db, s.county).fails("BAD_USER_INPUT", `mutation($id: ID!, $f: ID!) { updateContribution(id: $id, input: {followsID: $f}) { id } }`,
			map[string]any{"id": project, "f": lead1})

		// The test's own count of what it wrote.
		own := func(kind contribution.Kind) int {
			return db.Client.Contribution.Query().Where(contribution.KindEQ(kind), contribution.VillageID(vA.ID)).CountX(sys)
		}
		var out struct {
			OutcomeTotals struct {
				Total struct {
					Leads, SiteVisits, Projects, Funds, FundsYuan, LeadsVisited, VisitsLanded, ProjectsFunded int
					LeadToVisit                                                                               float64
				}
				ByVillage []struct {
					Region    struct{ Code string }
					FundsYuan int
				}
				ByAdviser []struct {
					Person *struct{ Name string }
					Leads  int
				}
			}
		}
		q := `query($c: String!) { outcomeTotals(code: $c) {
			total { leads siteVisits projects funds fundsYuan leadsVisited visitsLanded projectsFunded leadToVisit }
			byVillage { region { code } fundsYuan } byAdviser { person { name } leads } } }`
		newAPIAs(t, db, s.county).ok(q, map[string]any{"c": "150221"}, &out)
		tot := out.OutcomeTotals.Total
		if tot.Leads != own(contribution.KindINVESTMENT_LEAD) || tot.SiteVisits != own(contribution.KindSITE_VISIT) ||
			tot.Projects != own(contribution.KindPROJECT_LANDED) || tot.Funds != own(contribution.KindFUNDS) ||
			tot.FundsYuan != 4_000_000 || tot.LeadsVisited != 1 || tot.VisitsLanded != 1 || tot.ProjectsFunded != 1 || tot.LeadToVisit != 0.5 {
			t.Fatalf("totals %+v", tot)
		}
		if v := out.OutcomeTotals.ByVillage; len(v) != 1 || v[0].Region.Code != vA.Code || v[0].FundsYuan != 4_000_000 {
			t.Fatalf("by village %+v", v)
		}
		if a := out.OutcomeTotals.ByAdviser; len(a) != 1 || a[0].Person == nil || a[0].Person.Name != s.inC.Name || a[0].Leads != 2 {
			t.Fatalf("by adviser %+v", a)
		}
		// Analytics follow the scope: nothing of 土默特右旗 for the other
		// county's admin, nothing at all for partners or anonymous callers.
		newAPIAs(t, db, s.townUser).fails("FORBIDDEN", q, map[string]any{"c": s.township2.Code})
		newAPIAs(t, db, s.village).fails("FORBIDDEN", q, map[string]any{"c": "150221"})
		newAPIAs(t, db, s.partner).fails("FORBIDDEN", q, map[string]any{"c": "150221"})
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", q, map[string]any{"c": "150221"})
	})
}

// Ending a post records how it ended; a 返聘 takes back an ended post in the
// supervisory committee or the cooperative; the term comparison counts the
// exits by kind in each term.
func TestExitsAndRehires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		vA := s.villages[0]
		c := db.Client
		c.Term.Create().SetRegion(s.world.county).SetName("第十一届").SetElectedOn(date("2018-05-01")).ExecX(sys)
		c.Term.Create().SetRegion(s.world.county).SetName("第十二届").SetElectedOn(date("2021-05-01")).ExecX(sys)
		mk := func(name, role string) *ent.Post {
			p := c.Person.Create().SetName(name).SetHomeVillage(vA).SaveX(sys)
			return c.Post.Create().SetPerson(p).SetRegion(vA).SetRole(post.Role(role)).SetStartDate(date("2018-05-01")).SaveX(sys)
		}
		forced, natural, current := mk("强退者", "COMMITTEE_MEMBER"), mk("自然退出者", "COMMITTEE_MEMBER"), mk("现任委员", "COMMITTEE_MEMBER")
		end := `mutation($id: ID!, $d: Date!, $k: PostExitKind, $r: String) { endPost(id: $id, endDate: $d, exitKind: $k, reason: $r) { exitKind endReason } }`
		newAPIAs(t, db, s.village).fails("FORBIDDEN", end, map[string]any{"id": gid(forced.ID), "d": "2020-03-01", "k": "FORCED"})
		newAPIAs(t, db, s.county).ok(end, map[string]any{"id": gid(forced.ID), "d": "2020-03-01", "k": "FORCED", "r": "受到刑事处罚"}, nil)
		newAPIAs(t, db, s.county).ok(end, map[string]any{"id": gid(natural.ID), "d": "2021-05-01", "k": "NATURAL", "r": "年龄原因"}, nil)
		newAPIAs(t, db, s.county).ok(end, map[string]any{"id": gid(current.ID), "d": "2023-05-01", "k": "DUE"}, nil)

		rehire := `mutation($p: ID!, $r: ID!, $role: PostRole!, $from: ID!) { createPost(input: {personID: $p, regionID: $r, role: $role, startDate: "2021-06-01", rehiredFromID: $from}) { id rehiredFrom { id exitKind } } }`
		vars := func(from *ent.Post, role string) map[string]any {
			return map[string]any{"p": gid(from.PersonID), "r": gid(vA.ID), "role": role, "from": gid(from.ID)}
		}
		newAPIAs(t, db, s.county).fails("BAD_USER_INPUT", rehire, vars(natural, "PARTY_SECRETARY"))
		newAPIAs(t, db, s.county).fails("BAD_USER_INPUT", rehire, map[string]any{"p": gid(forced.PersonID), "r": gid(vA.ID), "role": "SUPERVISORY_MEMBER", "from": gid(natural.ID)})
		var out struct {
			CreatePost struct{ RehiredFrom struct{ ExitKind string } }
		}
		newAPIAs(t, db, s.county).ok(rehire, vars(natural, "SUPERVISORY_MEMBER"), &out)
		if out.CreatePost.RehiredFrom.ExitKind != "NATURAL" {
			t.Fatalf("rehire: %+v", out)
		}

		var cmp struct {
			TermComparison struct {
				Exits []struct {
					Term, Kind string
					Count      int
				}
			}
		}
		newAPIAs(t, db, s.county).ok(`{ termComparison(code: "150221") { exits { term kind count } } }`, nil, &cmp)
		got := map[string]int{}
		for _, e := range cmp.TermComparison.Exits {
			got[e.Term+"/"+e.Kind] = e.Count
		}
		want := map[string]int{"PREVIOUS/FORCED": 1, "PREVIOUS/NATURAL": 1, "CURRENT/DUE": 1}
		if len(got) != len(want) {
			t.Fatalf("exits %v, want %v", got, want)
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("exits %v, want %v", got, want)
			}
		}
	})
}
