package graph_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/assessment"
	"yanzhen/ent/auditlog"
	"yanzhen/graph"
)

// Assessments follow the region they are held in: each role sees those of
// its subtree through the connection, node(id), a person's and a region's
// edges and filters; partners none; anonymous viewers are told to sign in.
// Admins and township users write in their subtree only.
func TestAssessmentsInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx := auth.System(context.Background())
		c := db.Client
		year := time.Now().Year() - 1
		inA := c.Assessment.Create().SetPerson(s.inA).SetRegion(s.villages[0]).SetYear(year).
			SetGrade(assessment.GradeEXCELLENT).SetPledge("修通村道").SaveX(ctx)
		inTown2 := c.Assessment.Create().SetPerson(s.inC).SetRegion(s.township2).SetYear(year).
			SetGrade(assessment.GradeCOMPETENT).SaveX(ctx)
		out := c.Assessment.Create().SetPerson(s.outside).SetRegion(s.other).SetYear(year).
			SetGrade(assessment.GradeINCOMPETENT).SaveX(ctx)

		type seen struct {
			Assessments struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
			Region   struct{ Assessments struct{ TotalCount int } }
			Filtered struct{ TotalCount int }
		}
		const q = `query($code: String!) {
			assessments(orderBy: {field: YEAR}) { totalCount edges { node { id } } }
			region(code: $code) { assessments { totalCount } }
			filtered: assessments(where: {grade: INCOMPETENT}) { totalCount } }`
		vars := map[string]any{"code": s.other.Code}
		for _, c := range []struct {
			name     string
			v        *auth.Viewer
			want     []int
			outSeen  bool
			filtered int
		}{
			{"national", s.national, []int{inA.ID, inTown2.ID, out.ID}, true, 1},
			{"county", s.county, []int{inA.ID, inTown2.ID}, false, 0},
			{"township", s.townUser, []int{inA.ID}, false, 0},
			{"village", s.village, []int{inA.ID}, false, 0},
			{"partner", s.partner, nil, false, 0},
		} {
			var got seen
			as := newAPIAs(t, db, c.v)
			as.ok(q, vars, &got)
			node := `query($id: ID!) { node(id: $id) { id } }`
			if c.outSeen {
				as.ok(node, map[string]any{"id": gid(out.ID)}, nil)
			} else {
				as.fails("NOT_FOUND", node, map[string]any{"id": gid(out.ID)})
			}
			var ids []string
			for _, e := range got.Assessments.Edges {
				ids = append(ids, e.Node.ID)
			}
			if want := gids(c.want); got.Assessments.TotalCount != len(c.want) || !slices.Equal(sorted(ids), sorted(want)) {
				t.Errorf("%s sees assessments %v (%d), want %v", c.name, ids, got.Assessments.TotalCount, want)
			}
			if (got.Region.Assessments.TotalCount == 1) != c.outSeen || got.Filtered.TotalCount != c.filtered {
				t.Errorf("%s: the other county's assessment through its region %d, a filter %d", c.name,
					got.Region.Assessments.TotalCount, got.Filtered.TotalCount)
			}
		}
		// Through the person: the county admin sees the person of village
		// A and their assessment, nothing of the other county's cadre.
		var p struct {
			Node *struct{ Assessments struct{ TotalCount int } }
		}
		county := newAPIAs(t, db, s.county)
		county.ok(`query($id: ID!) { node(id: $id) { ... on Person { assessments { totalCount } } } }`, map[string]any{"id": gid(s.inA.ID)}, &p)
		if p.Node == nil || p.Node.Assessments.TotalCount != 1 {
			t.Errorf("the county admin reads %+v of 甲村书记's assessments", p.Node)
		}
		anon := newAPIAs(t, db, nil)
		anon.fails("UNAUTHENTICATED", `{ assessments { totalCount } }`, nil)

		// Writes.
		create := `mutation($p: ID!, $r: ID!, $y: Int!) { createAssessment(input: {personID: $p, regionID: $r, year: $y, grade: COMPETENT}) { id } }`
		w := func(p *ent.Person, r *ent.Region, y int) map[string]any {
			return map[string]any{"p": gid(p.ID), "r": gid(r.ID), "y": y}
		}
		county.ok(create, w(s.inA, s.villages[0], year-1), nil)
		newAPIAs(t, db, s.townUser).ok(create, w(s.inA, s.villages[0], year-2), nil)
		county.fails("FORBIDDEN", create, w(s.inA, s.other, year-1))
		county.fails("NOT_FOUND", create, w(s.outside, s.villages[0], year-1)) // a person out of sight
		newAPIAs(t, db, s.townUser).fails("FORBIDDEN", create, w(s.inC, s.township2, year-1))
		newAPIAs(t, db, s.village).fails("FORBIDDEN", create, w(s.inA, s.villages[0], year-3))
		newAPIAs(t, db, s.partner).fails("FORBIDDEN", create, w(s.inA, s.villages[0], year-3))
		anon.fails("UNAUTHENTICATED", create, w(s.inA, s.villages[0], year-3))
		update := `mutation($id: ID!) { updateAssessment(id: $id, input: {grade: BASICALLY_COMPETENT}) { id grade } }`
		county.fails("NOT_FOUND", update, map[string]any{"id": gid(out.ID)})
		county.fails("NOT_FOUND", `mutation($id: ID!) { deleteAssessment(id: $id) }`, map[string]any{"id": gid(out.ID)})
		if g := c.Assessment.GetX(ctx, out.ID).Grade; g != assessment.GradeINCOMPETENT {
			t.Fatalf("an out-of-scope update changed the grade to %s", g)
		}
		county.ok(update, map[string]any{"id": gid(inA.ID)}, nil)
		if g := c.Assessment.GetX(ctx, inA.ID).Grade; g != assessment.GradeBASICALLY_COMPETENT {
			t.Fatalf("the county admin's update left the grade %s", g)
		}
		entries := c.AuditLog.Query().Where(auditlog.EntityType("Assessment")).AllX(ctx)
		var created, updated int
		for _, e := range entries {
			switch e.Action {
			case auditlog.ActionCREATE:
				created++
			case auditlog.ActionUPDATE:
				updated++
			}
		}
		if created < 2 || updated != 1 {
			t.Errorf("audit log: %d creates, %d updates of assessments", created, updated)
		}
	})
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// Bad assessments are refused with the field and the rule, and nothing is
// written: a year before 1949 or still to come, a score above 100, a rank
// without the number ranked or beyond it, a county as the place, a second
// assessment of the same year; an update is checked against the values it
// leaves.
func TestAssessmentRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorld(t, db.Client)
		a := newAPI(t, db)
		p := a.person("王书记")
		year := time.Now().Year()
		mutation := `mutation($in: CreateAssessmentInput!) { createAssessment(input: $in) { id } }`
		in := func(extra map[string]any) map[string]any {
			m := map[string]any{"personID": p, "regionID": gid(w.villages[0].ID), "year": year - 1, "grade": "COMPETENT"}
			for k, v := range extra {
				m[k] = v
			}
			return map[string]any{"in": m}
		}
		for _, c := range []struct {
			name, code, field, reason string
			extra                     map[string]any
		}{
			{"before 1949", "BAD_USER_INPUT", "year", "YEAR_OUT_OF_RANGE", map[string]any{"year": 1900}},
			{"next year", "BAD_USER_INPUT", "year", "YEAR_OUT_OF_RANGE", map[string]any{"year": year + 1}},
			{"score 101", "BAD_USER_INPUT", "reviewScore", "SCORE_OUT_OF_RANGE", map[string]any{"reviewScore": 101.5}},
			{"rank alone", "BAD_USER_INPUT", "rank", "RANK_INCOMPLETE", map[string]any{"rank": 3}},
			{"rank beyond", "BAD_USER_INPUT", "rank", "RANK_OUT_OF_RANGE", map[string]any{"rank": 9, "rankedAmong": 8, "rankScope": "TOWNSHIP"}},
			{"a county", "BAD_USER_INPUT", "regionID", "WRONG_LEVEL", map[string]any{"regionID": gid(w.county.ID)}},
		} {
			resp := a.fails(c.code, mutation, in(c.extra))
			if f, _ := resp.Errors[0].Extensions["field"].(string); f != c.field {
				t.Errorf("%s: field %q, want %q (%s)", c.name, f, c.field, resp.Raw)
			}
			if r, _ := resp.Errors[0].Extensions["reason"].(string); r != c.reason {
				t.Errorf("%s: reason %q, want %q (%s)", c.name, r, c.reason, resp.Raw)
			}
		}
		if n := a.count(func(ctx context.Context) (int, error) { return db.Client.Assessment.Query().Count(ctx) }); n != 0 {
			t.Fatalf("%d assessments written by refused requests", n)
		}
		var out struct{ CreateAssessment struct{ ID string } }
		a.ok(mutation, in(map[string]any{"rank": 8, "rankedAmong": 8, "rankScope": "TOWNSHIP", "reviewScore": 61.5}), &out)
		resp := a.fails("CONFLICT", mutation, in(map[string]any{"regionID": gid(w.villages[1].ID)}))
		if r, _ := resp.Errors[0].Extensions["reason"].(string); r != "SECOND_ASSESSMENT" {
			t.Errorf("a second assessment of %d: %s", year-1, resp.Raw)
		}
		// An update is checked as the row will stand.
		upd := `mutation($id: ID!, $in: UpdateAssessmentInput!) { updateAssessment(id: $id, input: $in) { id } }`
		a.fails("BAD_USER_INPUT", upd, map[string]any{"id": out.CreateAssessment.ID, "in": map[string]any{"rankedAmong": 5}})
		a.fails("BAD_USER_INPUT", upd, map[string]any{"id": out.CreateAssessment.ID, "in": map[string]any{"clearRankedAmong": true}})
		a.ok(upd, map[string]any{"id": out.CreateAssessment.ID, "in": map[string]any{"clearRank": true, "clearRankedAmong": true, "clearRankScope": true}}, nil)
	})
}

// The assessment alerts: a cadre ranked last in each of the last two years
// up to their latest assessment, and a latest assessment of 不称职, both
// only when the latest is of this year or the last. The expected set is
// worked out here from the fixture, not by the product.
func TestAssessmentAlerts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorld(t, db.Client)
		ctx := auth.System(context.Background())
		c := db.Client
		y := time.Now().Year() - 1 // the latest assessed year
		type rec struct {
			year       int
			grade      assessment.Grade
			rank, of   int
			wantLast   bool
			wantIncomp bool
		}
		cases := map[string][]rec{
			// Last two years running, the latest last year: alert.
			"甲": {{y - 1, "COMPETENT", 8, 8, false, false}, {y, "BASICALLY_COMPETENT", 8, 8, true, false}},
			// Last twice but not in a row.
			"乙": {{y - 2, "COMPETENT", 8, 8, false, false}, {y - 1, "COMPETENT", 3, 8, false, false}, {y, "COMPETENT", 8, 8, false, false}},
			// Last in a ranking of one: nobody to be behind.
			"丙": {{y - 1, "COMPETENT", 1, 1, false, false}, {y, "COMPETENT", 1, 1, false, false}},
			// 不称职 in the latest year.
			"丁": {{y - 1, "COMPETENT", 0, 0, false, false}, {y, "INCOMPETENT", 0, 0, false, true}},
			// 不称职 long ago, fine since.
			"戊": {{y - 1, "INCOMPETENT", 0, 0, false, false}, {y, "EXCELLENT", 0, 0, false, false}},
			// Both, but the latest is three years old: no alert now.
			"己": {{y - 3, "INCOMPETENT", 5, 5, false, false}, {y - 2, "INCOMPETENT", 5, 5, false, false}},
		}
		var wantLast, wantIncomp []int
		i := 0
		for name, recs := range cases {
			p := c.Person.Create().SetName(name).SaveX(ctx)
			v := w.villages[i%len(w.villages)]
			i++
			for _, r := range recs {
				b := c.Assessment.Create().SetPerson(p).SetRegion(v).SetYear(r.year).SetGrade(r.grade)
				if r.of > 0 {
					b.SetRank(r.rank).SetRankedAmong(r.of).SetRankScope(assessment.RankScopeTOWNSHIP)
				}
				a := b.SaveX(ctx)
				if r.wantLast {
					wantLast = append(wantLast, a.ID)
				}
				if r.wantIncomp {
					wantIncomp = append(wantIncomp, a.ID)
				}
			}
		}
		api := newAPI(t, db)
		got := func(kind string) []string {
			var out struct {
				Alerts struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Node    struct{ ID string }
							Message struct{ Zh string }
						}
					}
				}
			}
			api.ok(`query($k: AlertKind!) { alerts(code: "150221", kinds: [$k], first: 50) { totalCount edges { node { node { id } message { zh } } } } }`,
				map[string]any{"k": kind}, &out)
			var ids []string
			for _, e := range out.Alerts.Edges {
				ids = append(ids, e.Node.Node.ID)
				if e.Node.Message.Zh == "" {
					t.Errorf("%s alert without a message", kind)
				}
			}
			if out.Alerts.TotalCount != len(ids) {
				t.Errorf("%s: totalCount %d, %d listed", kind, out.Alerts.TotalCount, len(ids))
			}
			return sorted(ids)
		}
		if g, want := got("RANKED_LAST"), sorted(gids(wantLast)); !slices.Equal(g, want) {
			t.Errorf("RANKED_LAST alerts %v, want %v", g, want)
		}
		if g, want := got("ASSESSED_INCOMPETENT"), sorted(gids(wantIncomp)); !slices.Equal(g, want) {
			t.Errorf("ASSESSED_INCOMPETENT alerts %v, want %v", g, want)
		}
		// Three years running (YANZHEN_ALERT_LAST_RANK_YEARS=3): 甲 has only two.
		cfg := graph.DefaultConfig
		cfg.Insight.Alerts.LastRankYears = 3
		var out struct{ Alerts struct{ TotalCount int } }
		national := newAPIWith(t, db, newUser(t, db, "n3", auth.RoleAdmin, "", 0, false), cfg)
		national.ok(`{ alerts(code: "150221", kinds: [RANKED_LAST]) { totalCount } }`, nil, &out)
		if out.Alerts.TotalCount != 0 {
			t.Errorf("with 3 years running, %d RANKED_LAST alerts", out.Alerts.TotalCount)
		}
	})
}
