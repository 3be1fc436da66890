package insight_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
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
	"yanzhen/errcode"
	"yanzhen/insight"
)

// trainingFixture: 33 › 3301 › 330101 › T1 330101001 › V1, V2; T2
// 330101002 › V3. Y is this year. Seven people:
//
//	p1 V1: PARTY_SECRETARY since Y-2 (after the cohort class K)
//	p2 V2: COMMITTEE_MEMBER Y-3-06-01 … Y-2-01-01, SECRETARY_AND_DIRECTOR since Y-2-01-02
//	p3 V1: COMMITTEE_MEMBER since Y-5 (before K)
//	p4 V2: PARTY_SECRETARY Y-3-04-01 … Y-2-01-01 (ended)
//	p5 V3: PARTY_SECRETARY since Y-2
//	p6 V2: no post (V2 is their home village)
//	p7 V3: DEPUTY_SECRETARY since Y-4
//
// K (the county's, Y-3-03-01 … Y-3-03-10, 40 h) enrols p1 … p6 (p4 not
// completed; p5 recorded in V3). Classes of the hours: C1 (county, Y-1-12-28
// … Y-01-01, 10 h: counts in Y), C2 (T1, Y-2-12-20 … Y-1-01-03, 12 h: Y-1),
// C3 (county, open-ended from Y-1-06-01, 20 h: Y-1), C4 (county, … Y-1-05-01,
// no hours), C5 (T1, Y-01-01, 6 h: Y).
type trainingFixture struct {
	county, t1, t2, v1, v2, v3 *ent.Region
	p                          []*ent.Person // p[1] … p[7]
	k, c1, c2, c3, c4, c5      *ent.TrainingClass
	y                          int
}

func buildTraining(t *testing.T, c *ent.Client) *trainingFixture {
	t.Helper()
	ctx := auth.System(context.Background())
	f := &trainingFixture{y: insight.Today().Year()}
	reg := func(code string, level region.Level, parent *ent.Region) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName("区" + code).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		return q.SaveX(ctx)
	}
	p := reg("33", region.LevelPROVINCE, nil)
	city := reg("3301", region.LevelCITY, p)
	f.county = reg("330101", region.LevelCOUNTY, city)
	f.t1 = reg("330101001", region.LevelTOWNSHIP, f.county)
	f.t2 = reg("330101002", region.LevelTOWNSHIP, f.county)
	f.v1 = reg("330101001201", region.LevelVILLAGE, f.t1)
	f.v2 = reg("330101001202", region.LevelVILLAGE, f.t1)
	f.v3 = reg("330101002201", region.LevelVILLAGE, f.t2)
	f.p = []*ent.Person{nil}
	for i := 1; i <= 7; i++ {
		f.p = append(f.p, c.Person.Create().SetName(fmt.Sprintf("学员%d", i)).SaveX(ctx))
	}
	// p6 holds no post: they are placed by their home village.
	c.Person.UpdateOneID(f.p[6].ID).SetHomeVillageID(f.v2.ID).ExecX(ctx)
	y := f.y
	d := func(years, m, day int) time.Time { return time.Date(y-years, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	postOf := func(i int, r *ent.Region, role post.Role, from time.Time, to *time.Time) {
		q := c.Post.Create().SetPersonID(f.p[i].ID).SetRegionID(r.ID).SetRole(role).SetStartDate(from)
		if to != nil {
			q.SetEndDate(*to)
		}
		q.SaveX(ctx)
	}
	end := func(t time.Time) *time.Time { return &t }
	postOf(1, f.v1, post.RolePARTY_SECRETARY, d(2, 1, 1), nil)
	postOf(2, f.v2, post.RoleCOMMITTEE_MEMBER, d(3, 6, 1), end(d(2, 1, 1)))
	postOf(2, f.v2, post.RoleSECRETARY_AND_DIRECTOR, d(2, 1, 2), nil)
	postOf(3, f.v1, post.RoleCOMMITTEE_MEMBER, d(5, 1, 1), nil)
	postOf(4, f.v2, post.RolePARTY_SECRETARY, d(3, 4, 1), end(d(2, 1, 1)))
	postOf(5, f.v3, post.RolePARTY_SECRETARY, d(2, 1, 1), nil)
	postOf(7, f.v3, post.RoleDEPUTY_SECRETARY, d(4, 1, 1), nil)

	class := func(site *ent.Region, starts time.Time, ends *time.Time, hours float64) *ent.TrainingClass {
		q := c.TrainingClass.Create().SetRegionID(site.ID).SetName("培训班").SetKind(trainingclass.KindSECRETARY_TRAINING).
			SetStartsOn(starts).SetNillableEndsOn(ends)
		if hours > 0 {
			q.SetHours(hours)
		}
		return q.SaveX(ctx)
	}
	f.k = class(f.county, d(3, 3, 1), end(d(3, 3, 10)), 40)
	f.c1 = class(f.county, d(1, 12, 28), end(d(0, 1, 1)), 10)
	f.c2 = class(f.t1, d(2, 12, 20), end(d(1, 1, 3)), 12)
	f.c3 = class(f.county, d(1, 6, 1), nil, 20)
	f.c4 = class(f.county, d(1, 4, 20), end(d(1, 5, 1)), 0)
	f.c5 = class(f.t1, d(0, 1, 1), end(d(0, 1, 1)), 6)
	enrol := func(k *ent.TrainingClass, i int, r *ent.Region, done bool, hours float64) {
		q := c.TrainingEnrolment.Create().SetClassID(k.ID).SetPersonID(f.p[i].ID).SetRegionID(r.ID).SetCompleted(done)
		if hours > 0 {
			q.SetHours(hours)
		}
		q.SaveX(ctx)
	}
	enrol(f.k, 1, f.v1, true, 0)
	enrol(f.k, 2, f.v2, true, 0)
	enrol(f.k, 3, f.v1, true, 0)
	enrol(f.k, 4, f.v1, false, 0)
	enrol(f.k, 5, f.v3, true, 0)
	enrol(f.k, 6, f.v2, true, 0)
	// Y-1: p1 12 (C2's) + 8 = 20 in 2 classes; p2 30 + 0 (C4 has none) = 30;
	// p3 nothing completed; p5 20 + 12 = 32; p7 none. Y: p1 10, p2 6.
	enrol(f.c2, 1, f.v1, true, 0)
	enrol(f.c3, 1, f.v1, true, 8)
	enrol(f.c1, 1, f.v1, true, 0)
	enrol(f.c2, 2, f.v2, true, 30)
	enrol(f.c4, 2, f.v2, true, 0)
	enrol(f.c3, 3, f.v1, false, 0)
	enrol(f.c3, 5, f.v3, true, 0)
	enrol(f.c2, 5, f.v3, true, 0)
	enrol(f.c5, 2, f.v2, true, 0)
	enrol(f.c5, 3, f.v1, false, 0)

	// Assessments of Y-1: p1 EXCELLENT, p2 COMPETENT, p3 INCOMPETENT; p5's
	// is of Y-2.
	assess := func(i int, r *ent.Region, year int, g assessment.Grade) {
		c.Assessment.Create().SetPersonID(f.p[i].ID).SetRegionID(r.ID).SetYear(year).SetGrade(g).SaveX(ctx)
	}
	assess(1, f.v1, y-1, assessment.GradeEXCELLENT)
	assess(2, f.v2, y-1, assessment.GradeCOMPETENT)
	assess(3, f.v1, y-1, assessment.GradeINCOMPETENT)
	assess(5, f.v3, y-2, assessment.GradeEXCELLENT)
	// Rewards of Y: p1 twice (1000 + 500 yuan), p3 punished; p2's is of Y-1.
	rec := func(i int, kind reward.Kind, on time.Time, yuan int64) {
		c.Reward.Create().SetPersonID(f.p[i].ID).SetRegionID(f.v1.ID).SetKind(kind).SetTitle("先进个人").
			SetLevel(reward.LevelCOUNTY).SetDate(on).SetAmountYuan(yuan).SaveX(ctx)
	}
	rec(1, reward.KindREWARD, d(0, 1, 1), 1000)
	rec(1, reward.KindREWARD, d(0, 1, 1), 500)
	rec(3, reward.KindPUNISHMENT, d(0, 1, 1), 0)
	rec(2, reward.KindREWARD, d(1, 12, 31), 200)
	return f
}

func viewerCtx(role auth.Role, scope string) context.Context {
	return auth.NewContext(context.Background(), &auth.Viewer{UserID: 9, Role: role, Scope: scope})
}

func codeOf(err error) string {
	if e, ok := errcode.As(err); ok {
		return e.Code
	}
	return ""
}

func TestTrainingCohort(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := buildTraining(t, db.Client)
		ctx := auth.System(context.Background())
		db.Statements.Reset()
		co, err := insight.Cohort(ctx, db.Client, f.k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Statements.Count(); n > 4 {
			t.Errorf("the cohort took %d statements, want at most 4 whatever its size", n)
		}
		type member struct {
			person int
			later  []post.Role
			now    bool
		}
		got := func(co *insight.TrainingCohort) []member {
			var out []member
			for _, m := range co.Members {
				x := member{person: m.Person.ID, now: m.NowSecretary}
				for _, p := range m.LaterPosts {
					x.later = append(x.later, p.Role)
				}
				out = append(out, x)
			}
			return out
		}
		want := []member{
			{f.p[1].ID, []post.Role{post.RolePARTY_SECRETARY}, true},
			{f.p[2].ID, []post.Role{post.RoleCOMMITTEE_MEMBER, post.RoleSECRETARY_AND_DIRECTOR}, true},
			{f.p[3].ID, nil, false},
			{f.p[4].ID, []post.Role{post.RolePARTY_SECRETARY}, false},
			{f.p[5].ID, []post.Role{post.RolePARTY_SECRETARY}, true},
			{f.p[6].ID, nil, false},
		}
		if g := got(co); !reflect.DeepEqual(g, want) {
			t.Errorf("members %+v, want %+v", g, want)
		}
		if co.Trainees != 6 || co.Completed != 5 || co.NowSecretaries != 3 {
			t.Errorf("trainees %d completed %d now secretaries %d, want 6, 5, 3", co.Trainees, co.Completed, co.NowSecretaries)
		}
		byRole := []insight.ValueCount{{Value: "COMMITTEE_MEMBER", Count: 1}, {Value: "PARTY_SECRETARY", Count: 3}, {Value: "SECRETARY_AND_DIRECTOR", Count: 1}}
		if !reflect.DeepEqual(co.LaterPostsByRole, byRole) {
			t.Errorf("later posts by role %v, want %v", co.LaterPostsByRole, byRole)
		}

		// 萨拉齐 (T1) sees the county's class but not p5, who serves in T2.
		co, err = insight.Cohort(viewerCtx(auth.RoleTownship, f.t1.Code), db.Client, f.k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if g := got(co); !reflect.DeepEqual(g, slices.Delete(slices.Clone(want), 4, 5)) {
			t.Errorf("T1 sees members %+v", g)
		}
		if co.Trainees != 5 || co.NowSecretaries != 2 {
			t.Errorf("T1: trainees %d now secretaries %d, want 5, 2", co.Trainees, co.NowSecretaries)
		}
		// T2 does not see T1's class C2, partners see no class; anonymous
		// callers are asked to sign in.
		for _, c := range []struct {
			ctx   context.Context
			class int
			code  string
		}{
			{viewerCtx(auth.RoleTownship, f.t2.Code), f.c2.ID, errcode.NotFound},
			{auth.NewContext(context.Background(), &auth.Viewer{UserID: 8, Role: auth.RolePartner, InstitutionID: 1}), f.k.ID, errcode.NotFound},
			{context.Background(), f.k.ID, errcode.Unauthenticated},
		} {
			if _, err := insight.Cohort(c.ctx, db.Client, c.class); codeOf(err) != c.code {
				t.Errorf("class %d: error %v, want %s", c.class, err, c.code)
			}
		}
	})
}

func TestTrainingHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := buildTraining(t, db.Client)
		ctx := auth.System(context.Background())
		type row struct {
			person  int
			hours   float64
			classes int
			below   bool
		}
		list := func(ctx context.Context, code string, year int, below bool, min float64, first int, after *insight.HoursCursor) ([]row, *insight.HoursPage) {
			t.Helper()
			page, err := insight.TrainingHours(ctx, db.Client, code, year, below, min, first, after)
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, h := range page.Cadres {
				out = append(out, row{h.Person.ID, h.Hours, h.Classes, h.BelowMinimum})
			}
			return out, page
		}
		id := func(i int) int { return f.p[i].ID }
		// Y-1: p4's post ended in Y-2; p6 holds none.
		all := []row{{id(3), 0, 0, true}, {id(7), 0, 0, true}, {id(1), 20, 2, true}, {id(2), 30, 2, true}, {id(5), 32, 2, false}}
		got, page := list(ctx, f.county.Code, f.y-1, false, 32, 50, nil)
		if !reflect.DeepEqual(got, all) || page.TotalCount != 5 || page.MinimumHours != 32 {
			t.Errorf("hours of Y-1 %+v (total %d), want %+v", got, page.TotalCount, all)
		}
		// Pages of two follow the cursor.
		var seen []row
		var after *insight.HoursCursor
		for pages := 0; ; pages++ {
			got, page := list(ctx, f.county.Code, f.y-1, false, 32, 2, after)
			seen = append(seen, got...)
			if !page.HasNextPage || pages > 5 {
				break
			}
			after = &page.Cadres[len(page.Cadres)-1].Cursor
			if c, err := insight.ParseHoursCursor(after.String()); err != nil || *c != *after {
				t.Fatalf("cursor %v read back as %v, %v", after, c, err)
			}
		}
		if !reflect.DeepEqual(seen, all) {
			t.Errorf("paged %+v, want %+v", seen, all)
		}
		// Below a configured minimum of 25: p3, p7, p1.
		got, page = list(ctx, f.county.Code, f.y-1, true, 25, 50, nil)
		want := []row{{id(3), 0, 0, true}, {id(7), 0, 0, true}, {id(1), 20, 2, true}}
		if !reflect.DeepEqual(got, want) || page.TotalCount != 3 {
			t.Errorf("below 25 %+v (total %d), want %+v", got, page.TotalCount, want)
		}
		// This year, as of today: C1 ends on Y-01-01 (p1's 10 hours), C5 (p2's 6).
		got, _ = list(ctx, f.county.Code, f.y, false, 32, 50, nil)
		want = []row{{id(3), 0, 0, true}, {id(5), 0, 0, true}, {id(7), 0, 0, true}, {id(2), 6, 1, true}, {id(1), 10, 1, true}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("hours of Y %+v, want %+v", got, want)
		}
		// A township sees its cadres, a village its own; the county is
		// refused to them, and to partners and anonymous callers.
		got, _ = list(viewerCtx(auth.RoleTownship, f.t1.Code), f.t1.Code, f.y-1, false, 32, 50, nil)
		want = []row{{id(3), 0, 0, true}, {id(1), 20, 2, true}, {id(2), 30, 2, true}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("T1 sees %+v, want %+v", got, want)
		}
		got, _ = list(viewerCtx(auth.RoleVillage, f.v1.Code), f.v1.Code, f.y-1, false, 32, 50, nil)
		want = []row{{id(3), 0, 0, true}, {id(1), 20, 2, true}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("V1 sees %+v, want %+v", got, want)
		}
		for _, c := range []context.Context{
			viewerCtx(auth.RoleTownship, f.t1.Code), context.Background(),
			auth.NewContext(context.Background(), &auth.Viewer{UserID: 8, Role: auth.RolePartner, InstitutionID: 1}),
		} {
			if _, err := insight.TrainingHours(c, db.Client, f.county.Code, f.y-1, false, 32, 10, nil); err == nil {
				t.Errorf("%v read the county's training hours", auth.FromContext(c))
			}
		}
		if _, err := insight.TrainingHours(ctx, db.Client, f.county.Code, f.y+1, false, 32, 10, nil); codeOf(err) != errcode.BadUserInput {
			t.Errorf("next year: %v, want BAD_USER_INPUT", err)
		}
	})
}

// The training alert: 两委 cadres in force today with fewer hours than the
// minimum in Y-1 (p3, p7, p1, p2; p5 has 32), at the first region of their
// posts; the county's kept count is the live one.
func TestTrainingBelowMinimumAlert(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := buildTraining(t, db.Client)
		ctx := auth.System(context.Background())
		th := insight.DefaultAlertThresholds
		kinds := []insight.AlertKind{insight.TrainingBelowMin}
		check := func(when string, code string, th insight.AlertThresholds, want map[int]int) {
			t.Helper()
			page, err := insight.Alerts(ctx, db.Client, code, kinds, insight.Today(), th, 50, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int]int{}
			for _, a := range page.Alerts {
				got[a.NodeID] = a.RegionID
			}
			if !reflect.DeepEqual(got, want) || page.TotalCount != len(want) {
				t.Errorf("%s: alerts %v (total %d), want %v", when, got, page.TotalCount, want)
			}
		}
		want := map[int]int{f.p[1].ID: f.v1.ID, f.p[2].ID: f.v2.ID, f.p[3].ID: f.v1.ID, f.p[7].ID: f.v3.ID}
		check("live", f.county.Code, th, want)
		refresh(t, ctx, db.Client)
		check("kept", f.county.Code, th, want)
		check("kept, the province", "33", th, want)
		// A configured minimum of 25 leaves p3, p7 and p1.
		th.MinTrainingHours = 25
		check("minimum 25", f.county.Code, th, map[int]int{f.p[1].ID: f.v1.ID, f.p[3].ID: f.v1.ID, f.p[7].ID: f.v3.ID})
		// p7 completes C3 (20 hours of Y-1, recorded in V3): the kept
		// counts follow the enrolment's write.
		db.Client.TrainingEnrolment.Create().SetClassID(f.c3.ID).SetPersonID(f.p[7].ID).SetRegionID(f.v3.ID).
			SetCompleted(true).SetHours(40).SaveX(ctx)
		delete(want, f.p[7].ID)
		check("after an enrolment", f.county.Code, insight.DefaultAlertThresholds, want)
		refresh(t, ctx, db.Client)
		check("after an enrolment, kept", "33", insight.DefaultAlertThresholds, want)
		// A class's hours change: p1's C2 credits 30 instead of 12 (38 in all).
		db.Client.TrainingClass.UpdateOneID(f.c2.ID).SetHours(30).ExecX(ctx)
		delete(want, f.p[1].ID)
		refresh(t, ctx, db.Client)
		check("after a class changed, kept", "33", insight.DefaultAlertThresholds, want)
	})
}

func TestTrainingStatistics(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := buildTraining(t, db.Client)
		ctx := auth.System(context.Background())
		th := insight.DefaultAlertThresholds
		y := f.y
		type parts struct {
			A insight.AssessmentStatistics
			T insight.TrainingStatistics
			R insight.RewardStatistics
		}
		of := func(s *insight.Statistics) parts { return parts{*s.Assessments, *s.Training, *s.Rewards} }
		county := parts{
			A: insight.AssessmentStatistics{Year: y - 1, Assessed: 3, Incompetent: 1, ExcellentShare: f64(1.0 / 3),
				ByGrade: []insight.ValueCount{{Value: "COMPETENT", Count: 1}, {Value: "EXCELLENT", Count: 1}, {Value: "INCOMPETENT", Count: 1}}},
			// C1 and C5 end in Y; enrolments p1-C1, p2-C5 (done, 10 + 6
			// hours), p3-C5; trained p1, p2 (avg 8); all five 两委 under 32.
			T: insight.TrainingStatistics{Year: y, Classes: 2, Enrolments: 3, Completed: 2, Hours: 16, CadresTrained: 2,
				AverageHoursPerCadre: f64(8), BelowMinimum: 5},
			R: insight.RewardStatistics{Year: y, Rewards: 2, Punishments: 1, PeopleRewarded: 1, AmountYuan: 1500},
		}
		t1 := county
		t1.T.Classes = 1 // C5; C1 is the county's
		t1.T.BelowMinimum = 3
		t2 := parts{
			A: insight.AssessmentStatistics{Year: y - 1, ByGrade: []insight.ValueCount{}},
			T: insight.TrainingStatistics{Year: y, BelowMinimum: 2},
			R: insight.RewardStatistics{Year: y},
		}
		check := func(when string) {
			t.Helper()
			s, err := insight.RegionStatistics(ctx, db.Client, f.county.Code, insight.Today(), th)
			if err != nil {
				t.Fatal(err)
			}
			got := []parts{of(s), of(s.Children[0]), of(s.Children[1])}
			if want := []parts{county, t1, t2}; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %+v\nwant %+v", when, got, want)
			}
		}
		check("live")
		refresh(t, ctx, db.Client)
		check("kept")
		// A township viewer asks about their own township; the county is
		// refused them, and to anonymous callers.
		s, err := insight.RegionStatistics(viewerCtx(auth.RoleTownship, f.t1.Code), db.Client, f.t1.Code, insight.Today(), th)
		if err != nil {
			t.Fatal(err)
		}
		if got := of(s); !reflect.DeepEqual(got, t1) {
			t.Errorf("T1 sees %+v, want %+v", got, t1)
		}
		for _, c := range []context.Context{viewerCtx(auth.RoleTownship, f.t1.Code), context.Background()} {
			if _, err := insight.RegionStatistics(c, db.Client, f.county.Code, insight.Today(), th); err == nil {
				t.Errorf("%v read the county's statistics", auth.FromContext(c))
			}
		}
	})
}

// YANZHEN_TRAINING_MIN_HOURS sets the yearly minimum (32 by default);
// a negative or non-numeric value is refused, naming the variable.
func TestTrainingMinimumFromEnv(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "YANZHEN_TRAINING_MIN_HOURS" {
				return v
			}
			return ""
		}
	}
	cfg, err := insight.ConfigFromEnv(env(""))
	if err != nil || cfg.Alerts.MinTrainingHours != 32 {
		t.Errorf("default: %v, %v", cfg.Alerts.MinTrainingHours, err)
	}
	if cfg, err = insight.ConfigFromEnv(env("24.5")); err != nil || cfg.Alerts.MinTrainingHours != 24.5 {
		t.Errorf("24.5: %v, %v", cfg.Alerts.MinTrainingHours, err)
	}
	for _, bad := range []string{"-1", "many"} {
		if _, err := insight.ConfigFromEnv(env(bad)); err == nil || !strings.Contains(err.Error(), "YANZHEN_TRAINING_MIN_HOURS") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
