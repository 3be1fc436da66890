package insight_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/reward"
	"yanzhen/ent/trainingclass"
	"yanzhen/insight"
	"yanzhen/insight/figures"
	"yanzhen/regioncode"
	"yanzhen/vocab"
)

// figuresGraph is a random population under 2 provinces × 2 cities × 2
// counties × 1 township × 3 villages, written through ent so that the
// figures hooks mark region_figures.
type figuresGraph struct {
	t        *testing.T
	c        *ent.Client
	rnd      *rand.Rand
	today    time.Time
	kept     []string // the country, the provinces, cities and counties
	villages []*ent.Region
	regions  []*ent.Region
	people   []int
	writes   map[string]int
}

func (g *figuresGraph) region(code string, parent *ent.Region) *ent.Region {
	level, _ := regioncode.LevelOf(code)
	b := g.c.Region.Create().SetCode(code).SetName("区" + code).SetLevel(level)
	if parent != nil {
		b.SetParentID(parent.ID)
	}
	if level == region.LevelVILLAGE && g.rnd.IntN(4) == 0 {
		b.SetKind(region.KindCOMMUNITY)
	}
	r := b.SaveX(auth.System(context.Background()))
	g.regions = append(g.regions, r)
	switch level {
	case region.LevelVILLAGE:
		g.villages = append(g.villages, r)
	case region.LevelPROVINCE, region.LevelCITY, region.LevelCOUNTY:
		g.kept = append(g.kept, code)
	}
	return r
}

func (g *figuresGraph) tree() {
	g.kept = append(g.kept, "")
	for p := 1; p <= 2; p++ {
		pc := fmt.Sprintf("%02d", 40+p)
		pr := g.region(pc, nil)
		for c := 1; c <= 2; c++ {
			cc := fmt.Sprintf("%s%02d", pc, c)
			cr := g.region(cc, pr)
			for k := 1; k <= 2; k++ {
				kc := fmt.Sprintf("%s%02d", cc, k)
				tr := g.region(kc+"001", g.region(kc, cr))
				for v := 1; v <= 3; v++ {
					g.region(fmt.Sprintf("%s001%03d", kc, v), tr)
				}
			}
		}
	}
}

func (g *figuresGraph) village() *ent.Region { return g.villages[g.rnd.IntN(len(g.villages))] }
func (g *figuresGraph) anyRegion() *ent.Region {
	for {
		if r := g.regions[g.rnd.IntN(len(g.regions))]; len(r.Code) >= 6 {
			return r
		}
	}
}
func (g *figuresGraph) person() int { return g.people[g.rnd.IntN(len(g.people))] }

// day is a date around today: some past, a few in the future.
func (g *figuresGraph) day() time.Time { return g.today.AddDate(0, 0, g.rnd.IntN(400)-360) }

func (g *figuresGraph) try(kind string, err error) {
	if err == nil {
		g.writes[kind]++
	}
}

func pickOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// write makes n random writes of every kind the figures read.
func (g *figuresGraph) write(ctx context.Context, n int) {
	c := g.c
	roles := []post.Role{post.RolePARTY_SECRETARY, post.RoleSECRETARY_AND_DIRECTOR, post.RoleCOMMITTEE_DIRECTOR,
		post.RoleDEPUTY_SECRETARY, post.RoleCOMMITTEE_MEMBER, post.RoleRESERVE_CADRE, post.RoleRESERVE_CADRE,
		post.RoleFIRST_SECRETARY, post.RoleWORK_TEAM_MEMBER}
	for range n {
		switch g.rnd.IntN(18) {
		case 0, 1:
			b := c.Person.Create().SetName("人" + fmt.Sprint(len(g.people)))
			if g.rnd.IntN(4) > 0 {
				b.SetBirthDate(g.today.AddDate(-20-g.rnd.IntN(50), 0, -g.rnd.IntN(365)))
			}
			b.SetGender(pickOf(g.rnd, []person.Gender{person.GenderMALE, person.GenderFEMALE}))
			b.SetEducation(pickOf(g.rnd, []person.Education{person.EducationBACHELOR, person.EducationHIGH_SCHOOL}))
			b.SetPoliticalStatus(pickOf(g.rnd, []person.PoliticalStatus{person.PoliticalStatusCPC_MEMBER, person.PoliticalStatusMASSES}))
			if g.rnd.IntN(3) == 0 {
				b.SetTags([]vocab.PersonTag{"RICH_LEADER"})
			}
			p, err := b.Save(ctx)
			if err == nil {
				g.people = append(g.people, p.ID)
			}
			g.try("person", err)
		case 2, 3:
			if len(g.people) == 0 {
				continue
			}
			role := pickOf(g.rnd, roles)
			b := c.Post.Create().SetPersonID(g.person()).SetRegionID(g.village().ID).SetRole(role).SetStartDate(g.day())
			if role == post.RoleRESERVE_CADRE {
				b.SetReserveList(pickOf(g.rnd, []post.ReserveList{post.ReserveListSECRETARY_CANDIDATE, post.ReserveListCOMMITTEE_CANDIDATE}))
			}
			if role == post.RoleFIRST_SECRETARY {
				b.SetDispatchLevel(post.DispatchLevelCOUNTY)
			}
			_, err := b.Save(ctx)
			g.try("post", err)
		case 4:
			// End a post, or delete one.
			ids := c.Post.Query().Where(post.EndDateIsNil()).IDsX(ctx)
			if len(ids) == 0 {
				continue
			}
			id := pickOf(g.rnd, ids)
			if g.rnd.IntN(3) == 0 {
				g.try("post deleted", c.Post.DeleteOneID(id).Exec(ctx))
			} else {
				g.try("post ended", c.Post.UpdateOneID(id).SetEndDate(g.today.AddDate(0, 0, -g.rnd.IntN(30))).Exec(ctx))
			}
		case 5:
			if len(g.people) == 0 {
				continue
			}
			u := c.Person.UpdateOneID(g.person())
			switch g.rnd.IntN(3) {
			case 0:
				u.SetBirthDate(g.today.AddDate(-30, 0, g.rnd.IntN(3)-1)) // a birthday around today
			case 1:
				u.SetEducation(person.EducationMASTER).SetGender(person.GenderFEMALE)
			default:
				u.SetPoliticalStatus(person.PoliticalStatusCPC_PROBATIONARY).SetTags([]vocab.PersonTag{"RICH_LEADER"})
			}
			g.try("person changed", u.Exec(ctx))
		case 6:
			if len(g.people) == 0 {
				continue
			}
			_, err := c.AdviserAppointment.Create().SetPersonID(g.person()).SetVillageID(g.village().ID).
				SetKind(adviserappointment.KindDEVELOPMENT_ADVISER).SetStartDate(g.day()).Save(ctx)
			g.try("adviser", err)
		case 7:
			ids := c.AdviserAppointment.Query().IDsX(ctx)
			if len(ids) == 0 {
				continue
			}
			_, err := c.ContactLog.Create().SetAppointmentID(pickOf(g.rnd, ids)).SetDate(g.today.AddDate(0, 0, -g.rnd.IntN(60))).
				SetMode("PHONE").Save(ctx)
			g.try("contact", err)
		case 8:
			if len(g.people) == 0 {
				continue
			}
			a, err := c.ExpertAssignment.Create().SetExpertID(g.person()).SetRegionID(g.anyRegion().ID).SetStartDate(g.day()).Save(ctx)
			g.try("assignment", err)
			if err == nil && g.rnd.IntN(2) == 0 {
				_, err := c.ServiceRecord.Create().SetAssignmentID(a.ID).SetDate(g.today.AddDate(0, 0, -g.rnd.IntN(120))).
					SetKind("GUIDANCE").Save(ctx)
				g.try("service", err)
			}
		case 9:
			_, err := c.Demand.Create().SetRegionID(g.village().ID).SetField("VEGETABLES").SetDescription("需求").
				SetRaisedOn(g.today.AddDate(0, 0, -g.rnd.IntN(120))).
				SetStatus(pickOf(g.rnd, []demand.Status{demand.StatusOPEN, demand.StatusDONE})).Save(ctx)
			g.try("demand", err)
		case 10:
			ids := c.AdviserAppointment.Query().IDsX(ctx)
			if len(ids) == 0 {
				continue
			}
			_, err := c.Contribution.Create().SetVillageID(g.village().ID).SetKind(contribution.KindFUNDS).
				SetDate(g.day()).SetAmountYuan(int64(g.rnd.IntN(1000))).SetAppointmentID(pickOf(g.rnd, ids)).Save(ctx)
			g.try("contribution", err)
		case 11:
			// A county exempts its communities from the village rules, or
			// holds them to the rules again.
			if g.rnd.IntN(2) == 0 {
				var counties []string
				for _, code := range g.kept {
					if len(code) == 6 {
						counties = append(counties, code)
					}
				}
				_, err := insight.SetCommunityRules(ctx, c, pickOf(g.rnd, counties), g.rnd.IntN(2) == 0)
				g.try("community rules", err)
				continue
			}
			// A village becomes a community or back.
			v := g.village()
			kind := region.KindCOMMUNITY
			if g.rnd.IntN(2) == 0 {
				kind = region.KindVILLAGE
			}
			g.try("region", c.Region.UpdateOneID(v.ID).SetKind(kind).Exec(ctx))
		case 12:
			// An annual assessment: the alerts watch the last-ranked and
			// the incompetent.
			if len(g.people) == 0 {
				continue
			}
			b := c.Assessment.Create().SetPersonID(g.person()).SetRegionID(g.village().ID).
				SetYear(g.today.Year() - g.rnd.IntN(3)).
				SetGrade(pickOf(g.rnd, []assessment.Grade{assessment.GradeCOMPETENT, assessment.GradeINCOMPETENT, assessment.GradeEXCELLENT}))
			if g.rnd.IntN(2) == 0 {
				b.SetRank(3).SetRankedAmong(3).SetRankScope(assessment.RankScopeTOWNSHIP)
			}
			_, err := b.Save(ctx)
			g.try("assessment", err)
		case 13:
			// A duty item, some done, some past their deadline.
			if len(g.people) == 0 {
				continue
			}
			b := c.DutyItem.Create().SetPersonID(g.person()).SetRegionID(g.village().ID).SetYear(g.today.Year()).
				SetTask("事项").SetKind(dutyitem.KindKEY).SetDeadline(g.today.AddDate(0, 0, g.rnd.IntN(60)-30))
			if g.rnd.IntN(3) == 0 {
				b.SetStatus(dutyitem.StatusDONE).SetCompletedOn(g.today.AddDate(0, 0, -g.rnd.IntN(20)))
			}
			_, err := b.Save(ctx)
			g.try("duty", err)
		case 14:
			// A training class of a county or township, ending last year
			// or this one, or open-ended; some without hours.
			var site *ent.Region
			for site == nil || len(site.Code) != 6 && len(site.Code) != 9 {
				site = g.anyRegion()
			}
			starts := time.Date(g.today.Year()-g.rnd.IntN(2), time.Month(1+g.rnd.IntN(12)), 1+g.rnd.IntN(28), 0, 0, 0, 0, time.UTC)
			b := c.TrainingClass.Create().SetRegionID(site.ID).SetName("班").SetKind(trainingclass.KindSECRETARY_TRAINING).SetStartsOn(starts)
			if g.rnd.IntN(3) > 0 {
				b.SetEndsOn(starts.AddDate(0, 0, g.rnd.IntN(40)))
			}
			if g.rnd.IntN(4) > 0 {
				b.SetHours(float64(8 * (1 + g.rnd.IntN(5))))
			}
			_, err := b.Save(ctx)
			g.try("training class", err)
		case 15:
			// An enrolment of a person in a class, recorded in a village.
			classes := c.TrainingClass.Query().IDsX(ctx)
			if len(classes) == 0 || len(g.people) == 0 {
				continue
			}
			b := c.TrainingEnrolment.Create().SetClassID(pickOf(g.rnd, classes)).SetPersonID(g.person()).
				SetRegionID(g.village().ID).SetCompleted(g.rnd.IntN(4) > 0)
			if g.rnd.IntN(2) == 0 {
				b.SetHours(float64(4 * g.rnd.IntN(12)))
			}
			_, err := b.Save(ctx)
			g.try("enrolment", err)
		case 16:
			// A class's hours or end change: its enrolments' hours follow.
			classes := c.TrainingClass.Query().IDsX(ctx)
			if len(classes) == 0 {
				continue
			}
			u := c.TrainingClass.UpdateOneID(pickOf(g.rnd, classes))
			if g.rnd.IntN(2) == 0 {
				u.SetHours(float64(g.rnd.IntN(60)))
			} else {
				u.ClearEndsOn()
			}
			g.try("class changed", u.Exec(ctx))
		case 17:
			// A reward or a punishment, or an enrolment completed.
			if g.rnd.IntN(3) == 0 {
				ids := c.TrainingEnrolment.Query().IDsX(ctx)
				if len(ids) == 0 {
					continue
				}
				g.try("enrolment changed", c.TrainingEnrolment.UpdateOneID(pickOf(g.rnd, ids)).SetCompleted(true).Exec(ctx))
				continue
			}
			if len(g.people) == 0 {
				continue
			}
			_, err := c.Reward.Create().SetPersonID(g.person()).SetRegionID(g.village().ID).
				SetKind(pickOf(g.rnd, []reward.Kind{reward.KindREWARD, reward.KindPUNISHMENT})).SetTitle("表彰").
				SetLevel(reward.LevelCOUNTY).SetDate(g.today.AddDate(0, 0, -g.rnd.IntN(400))).
				SetAmountYuan(int64(g.rnd.IntN(5000))).Save(ctx)
			g.try("reward", err)
		}
	}
}

// flatTree is the comparable part of statistics and their children.
func flatTree(s *insight.Statistics) []any {
	code := "" // the country
	if s.Region != nil {
		code = s.Region.Code
	}
	out := []any{code, flatten(s), *s.Duties, *s.Assessments, *s.Training, *s.Rewards}
	for _, ch := range s.Children {
		out = append(out, ch.Region.Code, flatten(ch), *ch.Duties, *ch.Assessments, *ch.Training, *ch.Rewards)
	}
	return out
}

// agree checks that the answers (kept or live) are the live figures of
// the country and every province, city and county, and reports how many
// came from kept rows.
func (g *figuresGraph) agree(ctx context.Context, when string) (kept int) {
	g.t.Helper()
	th := insight.DefaultAlertThresholds
	for _, code := range g.kept {
		started := time.Now()
		got, err := insight.RegionStatistics(ctx, g.c, code, g.today, th)
		if err != nil {
			g.t.Fatal(err)
		}
		want, err := insight.LiveStatistics(ctx, g.c, code, g.today, th)
		if err != nil {
			g.t.Fatal(err)
		}
		if !reflect.DeepEqual(flatTree(got), flatTree(want)) {
			g.t.Fatalf("%s: the statistics of %s are\n%+v\nlive\n%+v", when, code, flatTree(got), flatTree(want))
		}
		if got.ComputedAt.Before(started) {
			kept++
		}
		type ask struct {
			kinds []insight.AlertKind
			rk    region.Kind
		}
		for _, q := range []ask{{nil, ""}, {[]insight.AlertKind{insight.FewReserves, insight.AdviserNotContacted}, ""},
			{[]insight.AlertKind{insight.ExpertInactive}, ""}, {[]insight.AlertKind{insight.TrainingBelowMin}, ""},
			{nil, region.KindVILLAGE}, {nil, region.KindCOMMUNITY},
			{[]insight.AlertKind{insight.FewReserves, insight.NoSecretary}, region.KindCOMMUNITY}} {
			kinds := q.kinds
			counts, err := insight.LiveAlertCountsOf(ctx, g.c, code, q.rk, g.today, th)
			if err != nil {
				g.t.Fatal(err)
			}
			page, err := insight.AlertsOfKind(ctx, g.c, code, kinds, q.rk, g.today, th, 5, nil)
			if err != nil {
				g.t.Fatal(err)
			}
			// Every page, followed by its cursor, as the live listing.
			var after *insight.AlertCursor
			for got := page; ; {
				want, err := insight.LiveAlertsOfKind(ctx, g.c, code, kinds, q.rk, g.today, th, 5, after)
				if err != nil {
					g.t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					g.t.Fatalf("%s: a page of the alerts of %s %v %q after %+v is\n%+v\nlive\n%+v", when, code, kinds, q.rk, after, got, want)
				}
				if !got.HasNextPage {
					break
				}
				after = &got.Alerts[len(got.Alerts)-1].Cursor
				if got, err = insight.AlertsOfKind(ctx, g.c, code, kinds, q.rk, g.today, th, 5, after); err != nil {
					g.t.Fatal(err)
				}
			}
			if kinds == nil {
				kinds = insight.AlertKinds
			}
			want := 0
			for _, k := range kinds {
				want += counts[k]
			}
			if page.TotalCount != want {
				g.t.Fatalf("%s: %s has %d alerts of %v %q, live %d", when, code, page.TotalCount, kinds, q.rk, want)
			}
		}
	}
	return kept
}

// refresh runs the refresher until no row needs work.
func refresh(t *testing.T, ctx context.Context, c *ent.Client) {
	t.Helper()
	r := &insight.Refresher{Client: c, Thresholds: insight.DefaultAlertThresholds}
	if err := r.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	for range 1000 {
		found, err := r.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			return
		}
	}
	t.Fatal("the refresher did not finish")
}

// markedRows counts the rows of figures that may not answer: stale, or
// marked by a write since.
func markedRows(t *testing.T, ctx context.Context, c *ent.Client) int {
	t.Helper()
	rows, err := c.QueryContext(ctx, `SELECT COUNT(*) FROM region_figures f
		WHERE f.stale OR EXISTS (SELECT 1 FROM region_figures_marks m WHERE m.code = f.code)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// The kept figures are the live figures: before the refresher has caught
// up after random writes (stale rows fall back to the live computation)
// and after (fresh rows are read).
func TestKeptFiguresAreLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		g := &figuresGraph{t: t, c: db.Client, rnd: rand.New(rand.NewPCG(3, 9)), today: insight.Today(), writes: map[string]int{}}
		g.tree()
		g.write(ctx, 150)
		refresh(t, ctx, db.Client)
		if n := g.agree(ctx, "after the first refresh"); n != len(g.kept) {
			t.Fatalf("%d of %d answers came from kept rows after a refresh", n, len(g.kept))
		}
		for round := range 6 {
			g.write(ctx, 25)
			if markedRows(t, ctx, db.Client) == 0 {
				t.Fatalf("round %d: 25 writes marked no row stale", round)
			}
			g.agree(ctx, fmt.Sprint("before refreshing, round ", round))
			refresh(t, ctx, db.Client)
			if n := g.agree(ctx, fmt.Sprint("after refreshing, round ", round)); n != len(g.kept) {
				t.Fatalf("round %d: %d of %d answers came from kept rows", round, n, len(g.kept))
			}
		}
		for _, kind := range []string{"person", "post", "post ended", "person changed", "adviser", "contact", "assignment",
			"service", "demand", "contribution", "region", "community rules", "assessment", "duty",
			"training class", "enrolment", "class changed", "enrolment changed", "reward"} {
			if g.writes[kind] == 0 {
				t.Fatalf("no %s was written (%v): the test does not exercise it", kind, g.writes)
			}
		}
	})
}

// figuresState is what says whether a row may answer: its stale flag and
// the marks of its code.
type figuresState struct {
	Stale bool
	Marks int
}

func rowOf(t *testing.T, ctx context.Context, c *ent.Client, code string) figuresState {
	t.Helper()
	rows, err := c.QueryContext(ctx, `SELECT f.stale, (SELECT COUNT(*) FROM region_figures_marks m WHERE m.code = f.code)
		FROM region_figures f WHERE f.code = $1`, code)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var s figuresState
	if !rows.Next() {
		t.Fatalf("no region_figures row for %q", code)
	}
	if err := rows.Scan(&s.Stale, &s.Marks); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s figuresState) fresh() bool { return !s.Stale && s.Marks == 0 }

// A write marks the figures above it in its own transaction: rolled back,
// the rows are as they were; committed, they are marked, and only the rows
// above it (the country, its province, city and county). A past date is
// computed from history, never from a row.
func TestFiguresMarkedInTheWritersTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		g := &figuresGraph{t: t, c: c, rnd: rand.New(rand.NewPCG(5, 1)), today: insight.Today(), writes: map[string]int{}}
		g.tree()
		g.write(ctx, 80)
		refresh(t, ctx, c)
		v := g.villages[0] // under 41 › 4101 › 410101
		p := g.people[0]
		above := func(code string) bool { return code == "" || code == "41" || code == "4101" || code == "410101" }
		for _, code := range g.kept {
			if s := rowOf(t, ctx, c, code); !s.fresh() {
				t.Fatalf("%q is %+v after a refresh", code, s)
			}
		}
		write := func(tx *ent.Tx) {
			tx.Client().Post.Create().SetPersonID(p).SetRegionID(v.ID).SetRole(post.RoleRESERVE_CADRE).
				SetReserveList(post.ReserveListCOMMITTEE_CANDIDATE).SetStartDate(g.today).SaveX(ctx)
		}

		tx, err := c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		write(tx)
		for _, code := range []string{"", "41", "410101"} {
			if s := rowOf(t, ctx, tx.Client(), code); s.Marks != 1 {
				t.Fatalf("inside the write's transaction, the figures of %q are %+v, not marked once", code, s)
			}
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		for _, code := range g.kept {
			if s := rowOf(t, ctx, c, code); !s.fresh() {
				t.Fatalf("a rolled-back write left %q at %+v", code, s)
			}
		}

		tx, err = c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		write(tx)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, code := range g.kept {
			if s := rowOf(t, ctx, c, code); s.Stale || (s.Marks > 0) != above(code) {
				t.Fatalf("after a committed write in %s, %q is %+v", v.Code, code, s)
			}
		}
		g.agree(ctx, "after the committed write")

		// A bulk writer's batch (the roster import): the rows are marked at
		// its Flush, in its transaction.
		refresh(t, ctx, c)
		bctx, batch := figures.WithBatch(ctx)
		tx, err = c.Tx(bctx)
		if err != nil {
			t.Fatal(err)
		}
		last := g.villages[len(g.villages)-1] // under 42 › 4202 › 420202
		tx.Client().Post.Create().SetPersonID(p).SetRegionID(last.ID).SetRole(post.RoleCOMMITTEE_MEMBER).
			SetStartDate(g.today).SaveX(bctx)
		if s := rowOf(t, bctx, tx.Client(), "42"); !s.fresh() {
			t.Fatal("a batch marked before its Flush")
		}
		if err := batch.Flush(bctx, tx.Client()); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, code := range g.kept {
			if s := rowOf(t, ctx, c, code); s.fresh() == (code == "" || code == "42" || code == "4202" || code == "420202") {
				t.Fatalf("after a batch in 420202, %q is %+v", code, s)
			}
		}
		g.agree(ctx, "after the batch")

		// Past dates: from history, as before.
		refresh(t, ctx, c)
		for _, code := range g.kept {
			for _, past := range []time.Time{g.today.AddDate(0, 0, -1), g.today.AddDate(0, -6, 0)} {
				started := time.Now()
				got, err := insight.RegionStatistics(ctx, c, code, past, insight.DefaultAlertThresholds)
				if err != nil {
					t.Fatal(err)
				}
				want, err := insight.LiveStatistics(ctx, c, code, past, insight.DefaultAlertThresholds)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(flatTree(got), flatTree(want)) || got.ComputedAt.Before(started) {
					t.Fatalf("%s on %s: %+v, history gives %+v", code, past.Format(time.DateOnly), flatTree(got), flatTree(want))
				}
			}
			// Other thresholds than the row's: computed live too.
			started := time.Now()
			got, err := insight.RegionStatistics(ctx, c, code, g.today, insight.AlertThresholds{MinReserves: 3, MinTrainingHours: 32})
			if err != nil {
				t.Fatal(err)
			}
			want, err := insight.LiveStatistics(ctx, c, code, g.today, insight.AlertThresholds{MinReserves: 3, MinTrainingHours: 32})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(flatTree(got), flatTree(want)) || got.ComputedAt.Before(started) {
				t.Fatalf("%s with 3 reserves: %+v, live %+v", code, flatTree(got), flatTree(want))
			}
		}
	})
}

// A write still in flight while the refresher recomputes keeps its mark:
// the refresher deletes only the marks it can see, so once the write
// commits the row is not fresh, and the answer is live. And writers under
// one county do not wait for each other (they only insert marks). On
// PostgreSQL: SQLite has a single writer.
func TestWritesInFlightDuringARefresh(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL is not set")
	}
	db := dbtest.OpenPostgres(t)
	ctx := auth.System(context.Background())
	c := db.Client
	g := &figuresGraph{t: t, c: c, rnd: rand.New(rand.NewPCG(8, 2)), today: insight.Today(), writes: map[string]int{}}
	g.tree()
	g.write(ctx, 60)
	refresh(t, ctx, c)
	v := g.villages[0] // under 41 › 4101 › 410101
	reserve := func(cl *ent.Client) error {
		return cl.Post.Create().SetPersonID(g.person()).SetRegionID(v.ID).SetRole(post.RoleRESERVE_CADRE).
			SetReserveList(post.ReserveListCOMMITTEE_CANDIDATE).SetStartDate(g.today).Exec(ctx)
	}
	// A committed write gives the refresher work under 41.
	if err := reserve(c); err != nil {
		t.Fatal(err)
	}
	first, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := reserve(first.Client()); err != nil {
		t.Fatal(err)
	}
	// A second writer in the same village does not queue behind the
	// first's open transaction.
	second, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	err = second.Client().Post.Create().SetPersonID(g.person()).SetRegionID(v.ID).SetRole(post.RoleCOMMITTEE_MEMBER).
		SetStartDate(g.today).Exec(wctx)
	cancel()
	if err != nil {
		t.Fatalf("a second writer under the same county waited for the first: %v", err)
	}
	refresh(t, ctx, c) // sees neither open write
	for _, code := range []string{"", "41", "4101", "410101"} {
		if s := rowOf(t, ctx, c, code); !s.fresh() {
			t.Fatalf("before the writes commit, %q is %+v", code, s)
		}
	}
	for _, tx := range []*ent.Tx{first, second} {
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	for _, code := range []string{"", "41", "4101", "410101"} {
		if s := rowOf(t, ctx, c, code); s.Marks != 2 {
			t.Fatalf("after the writes commit, %q is %+v: their marks are gone", code, s)
		}
	}
	if n := g.agree(ctx, "after the writes in flight committed"); n != len(g.kept)-4 {
		t.Fatalf("%d of %d answers came from kept rows; the 4 marked ones must be live", n, len(g.kept))
	}
	refresh(t, ctx, c)
	if n := g.agree(ctx, "after refreshing"); n != len(g.kept) {
		t.Fatalf("%d of %d answers came from kept rows after a refresh", n, len(g.kept))
	}
}

// A refresher that fails after deleting a row's marks leaves the row
// stale, not looking fresh; and with a lag (YANZHEN_FIGURES_LAG) a marked
// row answers while it is younger than the lag, its computedAt showing
// its age.
func TestFiguresLagAndFailedRefreshes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		g := &figuresGraph{t: t, c: c, rnd: rand.New(rand.NewPCG(4, 4)), today: insight.Today(), writes: map[string]int{}}
		g.tree()
		g.write(ctx, 60)
		refresh(t, ctx, c)

		// A write, then a refresher whose computation fails after it
		// claimed a row and deleted its marks: the row does not look fresh.
		v := g.villages[1]
		member := func() {
			p := c.Person.Create().SetName("新委员").SaveX(ctx)
			c.Post.Create().SetPersonID(p.ID).SetRegionID(v.ID).SetRole(post.RoleCOMMITTEE_MEMBER).SetStartDate(g.today).SaveX(ctx)
		}
		member()
		failing := insight.FailingRefresher(c, insight.DefaultAlertThresholds)
		if found, err := failing.Step(ctx); !found || err == nil {
			t.Fatalf("the failing refresher found work %v, error %v", found, err)
		}
		for _, code := range g.kept {
			if s := rowOf(t, ctx, c, code); s.fresh() && (code == "" || code == v.Code[:2] || code == v.Code[:4] || code == v.Code[:6]) {
				t.Fatalf("after a failed refresh, %q looks fresh", code)
			}
		}
		g.agree(ctx, "after a failed refresh")

		refresh(t, ctx, c)
		member()
		insight.SetFiguresLag(time.Hour)
		t.Cleanup(func() { insight.SetFiguresLag(0) })
		started := time.Now()
		got, err := insight.RegionStatistics(ctx, c, v.Code[:2], g.today, insight.DefaultAlertThresholds)
		if err != nil {
			t.Fatal(err)
		}
		live, err := insight.LiveStatistics(ctx, c, v.Code[:2], g.today, insight.DefaultAlertThresholds)
		if err != nil {
			t.Fatal(err)
		}
		if !got.ComputedAt.Before(started) || got.Committee.Members == live.Committee.Members {
			t.Fatalf("with a lag, the marked figures of %s were not the kept ones: computed %s, %d members (live %d)",
				v.Code[:2], got.ComputedAt, got.Committee.Members, live.Committee.Members)
		}
		insight.SetFiguresLag(0)
		if got, err = insight.RegionStatistics(ctx, c, v.Code[:2], g.today, insight.DefaultAlertThresholds); err != nil {
			t.Fatal(err)
		}
		if got.ComputedAt.Before(started) || got.Committee.Members != live.Committee.Members {
			t.Fatalf("without a lag, the marked figures of %s answered", v.Code[:2])
		}
	})
}
