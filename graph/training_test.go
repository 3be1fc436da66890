package graph_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/assessment"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/reward"
	"yanzhen/ent/trainingclass"
	"yanzhen/graph"
	"yanzhen/insight"
)

// trainingWorld: 33 › 3301 › 330101 › T1 330101001 › V1; T2 330101002 › V3.
// The county's class K (Y-3) trained p1 (V1: PARTY_SECRETARY since Y-2),
// p2 (V1: COMMITTEE_MEMBER since Y-2) and p3 (V3: PARTY_SECRETARY since
// Y-2). Class C (the county's, Y-1-06-01 … Y-1-06-05, 40 h): p1 completed
// (credited the class's 40), p2 completed with 10. Class D (Y-01-01, 6 h):
// p1 completed. p2 assessed EXCELLENT for Y-1; p1 rewarded 100 yuan in Y.
type trainingWorld struct {
	county, t1, v1    *ent.Region
	p1, p2, p3        *ent.Person
	k, c, d           *ent.TrainingClass
	y                 int
	enrolmentOfP1InK  *ent.TrainingEnrolment
	secretaryPostOfP1 *ent.Post
	committeePostOfP2 *ent.Post
	secretaryPostOfP3 *ent.Post
}

func makeTrainingWorld(t *testing.T, c *ent.Client) *trainingWorld {
	t.Helper()
	ctx := auth.System(context.Background())
	w := &trainingWorld{y: insight.Today().Year()}
	reg := func(code string, level region.Level, parent *ent.Region) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName("区" + code).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		return q.SaveX(ctx)
	}
	city := reg("3301", region.LevelCITY, reg("33", region.LevelPROVINCE, nil))
	w.county = reg("330101", region.LevelCOUNTY, city)
	w.t1 = reg("330101001", region.LevelTOWNSHIP, w.county)
	t2 := reg("330101002", region.LevelTOWNSHIP, w.county)
	w.v1 = reg("330101001201", region.LevelVILLAGE, w.t1)
	v3 := reg("330101002201", region.LevelVILLAGE, t2)
	d := func(years, m, day int) time.Time {
		return time.Date(w.y-years, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	}
	person := func(name string) *ent.Person { return c.Person.Create().SetName(name).SaveX(ctx) }
	w.p1, w.p2, w.p3 = person("学员甲"), person("学员乙"), person("学员丙")
	postOf := func(p *ent.Person, r *ent.Region, role post.Role) *ent.Post {
		return c.Post.Create().SetPerson(p).SetRegion(r).SetRole(role).SetStartDate(d(2, 1, 1)).SaveX(ctx)
	}
	w.secretaryPostOfP1 = postOf(w.p1, w.v1, post.RolePARTY_SECRETARY)
	w.committeePostOfP2 = postOf(w.p2, w.v1, post.RoleCOMMITTEE_MEMBER)
	w.secretaryPostOfP3 = postOf(w.p3, v3, post.RolePARTY_SECRETARY)
	class := func(starts, ends time.Time, hours float64) *ent.TrainingClass {
		return c.TrainingClass.Create().SetRegionID(w.county.ID).SetName("书记培训班").SetKind(trainingclass.KindSECRETARY_TRAINING).
			SetStartsOn(starts).SetEndsOn(ends).SetHours(hours).SaveX(ctx)
	}
	w.k = class(d(3, 3, 1), d(3, 3, 5), 40)
	w.c = class(d(1, 6, 1), d(1, 6, 5), 40)
	w.d = class(d(0, 1, 1), d(0, 1, 1), 6)
	enrol := func(k *ent.TrainingClass, p *ent.Person, r *ent.Region, hours float64) *ent.TrainingEnrolment {
		q := c.TrainingEnrolment.Create().SetClassID(k.ID).SetPersonID(p.ID).SetRegionID(r.ID).SetCompleted(true)
		if hours > 0 {
			q.SetHours(hours)
		}
		return q.SaveX(ctx)
	}
	w.enrolmentOfP1InK = enrol(w.k, w.p1, w.v1, 0)
	enrol(w.k, w.p2, w.v1, 0)
	enrol(w.k, w.p3, v3, 0)
	enrol(w.c, w.p1, w.v1, 0)
	enrol(w.c, w.p2, w.v1, 10)
	enrol(w.d, w.p1, w.v1, 0)
	c.Assessment.Create().SetPerson(w.p2).SetRegion(w.v1).SetYear(w.y - 1).SetGrade(assessment.GradeEXCELLENT).SaveX(ctx)
	c.Reward.Create().SetPerson(w.p1).SetRegion(w.v1).SetKind(reward.KindREWARD).SetTitle("先进个人").
		SetLevel(reward.LevelCOUNTY).SetDate(d(0, 1, 1)).SetAmountYuan(100).SaveX(ctx)
	return w
}

func TestTrainingCohortThroughGraphQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeTrainingWorld(t, db.Client)
		const q = `query($k: ID!) { trainingCohort(classID: $k) { class { id } trainees completed nowSecretaries
			laterPostsByRole { value count }
			members { person { id } enrolment { id } laterPosts { id role } nowSecretary } } }`
		type answer struct {
			TrainingCohort struct {
				Class                               struct{ ID string }
				Trainees, Completed, NowSecretaries int
				LaterPostsByRole                    []struct {
					Value string
					Count int
				}
				Members []struct {
					Person       struct{ ID string }
					Enrolment    struct{ ID string }
					LaterPosts   []struct{ ID, Role string }
					NowSecretary bool
				}
			}
		}
		var a answer
		newAPI(t, db).ok(q, map[string]any{"k": gid(w.k.ID)}, &a)
		co := a.TrainingCohort
		if co.Class.ID != gid(w.k.ID) || co.Trainees != 3 || co.Completed != 3 || co.NowSecretaries != 2 || len(co.Members) != 3 {
			t.Fatalf("cohort %+v", co)
		}
		m := co.Members[0]
		if m.Person.ID != gid(w.p1.ID) || m.Enrolment.ID != gid(w.enrolmentOfP1InK.ID) || !m.NowSecretary ||
			len(m.LaterPosts) != 1 || m.LaterPosts[0].ID != gid(w.secretaryPostOfP1.ID) {
			t.Errorf("first member %+v", m)
		}
		if got := fmt.Sprint(co.LaterPostsByRole); got != "[{COMMITTEE_MEMBER 1} {PARTY_SECRETARY 2}]" {
			t.Errorf("later posts by role %s", got)
		}
		// 萨拉齐镇's user sees p1 and p2, not p3 of 双龙镇.
		township := newAPIAs(t, db, newUser(t, db, "t1", auth.RoleTownship, w.t1.Code, 0, true))
		a = answer{}
		township.ok(q, map[string]any{"k": gid(w.k.ID)}, &a)
		if co := a.TrainingCohort; co.Trainees != 2 || co.NowSecretaries != 1 || len(co.Members) != 2 ||
			co.Members[1].Person.ID != gid(w.p2.ID) {
			t.Errorf("the township sees %+v", co)
		}
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", q, map[string]any{"k": gid(w.k.ID)})
	})
}

func TestTrainingHoursThroughGraphQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeTrainingWorld(t, db.Client)
		const q = `query($c: String!, $y: Int!, $b: Boolean, $after: Cursor, $first: Int) {
			trainingHours(code: $c, year: $y, belowMinimum: $b, after: $after, first: $first) {
				totalCount minimumHours pageInfo { hasNextPage endCursor }
				edges { node { person { id } year hours classes belowMinimum } } } }`
		type answer struct {
			TrainingHours struct {
				TotalCount   int
				MinimumHours float64
				PageInfo     struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct {
					Node struct {
						Person       struct{ ID string }
						Year         int
						Hours        float64
						Classes      int
						BelowMinimum bool
					}
				}
			}
		}
		rows := func(a answer) []string {
			var out []string
			for _, e := range a.TrainingHours.Edges {
				n := e.Node
				out = append(out, fmt.Sprintf("%s %d %g %d %v", n.Person.ID, n.Year, n.Hours, n.Classes, n.BelowMinimum))
			}
			return out
		}
		y := w.y - 1
		p1 := fmt.Sprintf("%s %d 40 1 false", gid(w.p1.ID), y)
		p2 := fmt.Sprintf("%s %d 10 1 true", gid(w.p2.ID), y)
		p3 := fmt.Sprintf("%s %d 0 0 true", gid(w.p3.ID), y)
		admin := newAPI(t, db)
		var a answer
		admin.ok(q, map[string]any{"c": w.county.Code, "y": y}, &a)
		if got := rows(a); !reflect.DeepEqual(got, []string{p3, p2, p1}) || a.TrainingHours.TotalCount != 3 || a.TrainingHours.MinimumHours != 32 {
			t.Errorf("hours %v (total %d, minimum %g)", got, a.TrainingHours.TotalCount, a.TrainingHours.MinimumHours)
		}
		// Below the minimum, one per page.
		var seen []string
		vars := map[string]any{"c": w.county.Code, "y": y, "b": true, "first": 1}
		for range 4 {
			a = answer{}
			admin.ok(q, vars, &a)
			seen = append(seen, rows(a)...)
			if a.TrainingHours.TotalCount != 2 {
				t.Errorf("below the minimum: total %d, want 2", a.TrainingHours.TotalCount)
			}
			if !a.TrainingHours.PageInfo.HasNextPage {
				break
			}
			vars["after"] = *a.TrainingHours.PageInfo.EndCursor
		}
		if !reflect.DeepEqual(seen, []string{p3, p2}) {
			t.Errorf("paged below the minimum %v", seen)
		}
		// A configured minimum of 50 (YANZHEN_TRAINING_MIN_HOURS).
		cfg := graph.DefaultConfig
		cfg.Insight.Alerts.MinTrainingHours = 50
		a = answer{}
		newAPIWith(t, db, newUser(t, db, "national50", auth.RoleAdmin, "", 0, true), cfg).
			ok(q, map[string]any{"c": w.county.Code, "y": y, "b": true}, &a)
		if a.TrainingHours.TotalCount != 3 || a.TrainingHours.MinimumHours != 50 {
			t.Errorf("with a minimum of 50: %+v", a.TrainingHours)
		}
		// 萨拉齐镇's user: their township, not the county; anonymous: nothing.
		township := newAPIAs(t, db, newUser(t, db, "t1", auth.RoleTownship, w.t1.Code, 0, true))
		a = answer{}
		township.ok(q, map[string]any{"c": w.t1.Code, "y": y}, &a)
		if got := rows(a); !reflect.DeepEqual(got, []string{p2, p1}) {
			t.Errorf("the township sees %v", got)
		}
		if r := township.do(q, map[string]any{"c": w.county.Code, "y": y}); len(r.Errors) == 0 {
			t.Errorf("the township read the county's hours: %s", r.Raw)
		}
		if r := newAPIAs(t, db, nil).do(q, map[string]any{"c": w.county.Code, "y": y}); len(r.Errors) == 0 {
			t.Errorf("an anonymous caller read the county's hours: %s", r.Raw)
		}
	})
}

func TestTrainingFiguresThroughGraphQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeTrainingWorld(t, db.Client)
		admin := newAPI(t, db)
		// The alert: p2 (10 hours in Y-1) and p3 (none); p1 had 40.
		var al struct {
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
		admin.ok(`{ alerts(code: "330101", kinds: [TRAINING_BELOW_MINIMUM], first: 10) { totalCount edges { node { node { id } message { zh } } } } }`, nil, &al)
		var ids []string
		for _, e := range al.Alerts.Edges {
			ids = append(ids, e.Node.Node.ID)
		}
		if want := []string{gid(w.p2.ID), gid(w.p3.ID)}; al.Alerts.TotalCount != 2 || !reflect.DeepEqual(ids, want) {
			t.Errorf("alerts %v (total %d), want %v", ids, al.Alerts.TotalCount, want)
		}
		if len(al.Alerts.Edges) > 0 && !contains(al.Alerts.Edges[0].Node.Message.Zh, "10.0 学时") {
			t.Errorf("message %q", al.Alerts.Edges[0].Node.Message.Zh)
		}
		// The statistics: D and p1's 6 hours this year; p2's EXCELLENT of
		// Y-1; p1's reward.
		const q = `query($c: String!) { regionStatistics(code: $c) {
			training { year classes enrolments completed hours cadresTrained averageHoursPerCadre belowMinimum }
			assessments { year assessed byGrade { value count } excellentShare incompetent }
			rewards { year rewards punishments peopleRewarded amountYuan } } }`
		var s struct {
			RegionStatistics struct {
				Training    map[string]any
				Assessments map[string]any
				Rewards     map[string]any
			}
		}
		admin.ok(q, map[string]any{"c": w.county.Code}, &s)
		y := float64(w.y)
		want := map[string]any{"year": y, "classes": 1.0, "enrolments": 1.0, "completed": 1.0, "hours": 6.0,
			"cadresTrained": 1.0, "averageHoursPerCadre": 6.0, "belowMinimum": 3.0}
		if !reflect.DeepEqual(s.RegionStatistics.Training, want) {
			t.Errorf("training %v, want %v", s.RegionStatistics.Training, want)
		}
		wantA := map[string]any{"year": y - 1, "assessed": 1.0, "byGrade": []any{map[string]any{"value": "EXCELLENT", "count": 1.0}},
			"excellentShare": 1.0, "incompetent": 0.0}
		if !reflect.DeepEqual(s.RegionStatistics.Assessments, wantA) {
			t.Errorf("assessments %v, want %v", s.RegionStatistics.Assessments, wantA)
		}
		wantR := map[string]any{"year": y, "rewards": 1.0, "punishments": 0.0, "peopleRewarded": 1.0, "amountYuan": 100.0}
		if !reflect.DeepEqual(s.RegionStatistics.Rewards, wantR) {
			t.Errorf("rewards %v, want %v", s.RegionStatistics.Rewards, wantR)
		}
		// 萨拉齐镇's user reads their township (p1, p2: two under 32), not the
		// county; anonymous callers neither.
		township := newAPIAs(t, db, newUser(t, db, "t1", auth.RoleTownship, w.t1.Code, 0, true))
		s.RegionStatistics.Training = nil
		township.ok(q, map[string]any{"c": w.t1.Code}, &s)
		if got := s.RegionStatistics.Training["belowMinimum"]; got != 2.0 {
			t.Errorf("the township's training below the minimum: %v", got)
		}
		if r := township.do(q, map[string]any{"c": w.county.Code}); len(r.Errors) == 0 {
			t.Errorf("the township read the county's statistics")
		}
		if r := newAPIAs(t, db, nil).do(q, map[string]any{"c": w.county.Code}); len(r.Errors) == 0 {
			t.Errorf("an anonymous caller read the county's statistics")
		}
	})
}
