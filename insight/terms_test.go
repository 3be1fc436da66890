package insight_test

import (
	"context"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/insight"
	"yanzhen/vocab"
)

// termsFixture: two counties with terms elected in 2018 and 2021, and a
// third without any.
//
//	15 › 1502 › 150221 A (terms 2018-01-15, 2021-01-20) › 150221100 T1 › V1, V2
//	                                                    › 150221101 T2 › V3
//	          › 150222 B (terms 2018-03-01, 2021-03-10, 2024-04-01) › 150222100 › V4, V5
//	          › 150223 C (no term) › 150223100 › V6
type termsFixture struct {
	a, b, cty                               *ent.Region
	a2018, a2021, b2018, b2021, b2024       *ent.Term
	p1, p2, p3, p4, p5, p6, p7              *ent.Person
	q1, q2, q3, q4, q5, r1                  *ent.Person
	p2Committee, p2Secretary, p4Post, r1Pst *ent.Post
	q5Post                                  *ent.Post
}

func buildTerms(t *testing.T, db *dbtest.DB) *termsFixture {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	f := &termsFixture{}
	reg := func(code string, level region.Level, parent *ent.Region) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName("区划" + code).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		if level == region.LevelVILLAGE {
			q.SetKind(region.KindVILLAGE)
		}
		return q.SaveX(ctx)
	}
	p15 := reg("15", region.LevelPROVINCE, nil)
	c1502 := reg("1502", region.LevelCITY, p15)
	f.a = reg("150221", region.LevelCOUNTY, c1502)
	t1 := reg("150221100", region.LevelTOWNSHIP, f.a)
	t2 := reg("150221101", region.LevelTOWNSHIP, f.a)
	v1 := reg("150221100201", region.LevelVILLAGE, t1)
	v2 := reg("150221100202", region.LevelVILLAGE, t1)
	v3 := reg("150221101201", region.LevelVILLAGE, t2)
	f.b = reg("150222", region.LevelCOUNTY, c1502)
	t3 := reg("150222100", region.LevelTOWNSHIP, f.b)
	v4 := reg("150222100201", region.LevelVILLAGE, t3)
	v5 := reg("150222100202", region.LevelVILLAGE, t3)
	f.cty = reg("150223", region.LevelCOUNTY, c1502)
	t4 := reg("150223100", region.LevelTOWNSHIP, f.cty)
	v6 := reg("150223100201", region.LevelVILLAGE, t4)

	term := func(county *ent.Region, on string) *ent.Term {
		return c.Term.Create().SetRegionID(county.ID).SetName(on[:4] + "年村“两委”换届").SetElectedOn(date(on)).SaveX(ctx)
	}
	f.a2018, f.a2021 = term(f.a, "2018-01-15"), term(f.a, "2021-01-20")
	f.b2018, f.b2021, f.b2024 = term(f.b, "2018-03-01"), term(f.b, "2021-03-10"), term(f.b, "2024-04-01")

	mk := func(gender, birth, edu, pol string, tags ...vocab.PersonTag) *ent.Person {
		q := c.Person.Create().SetName("某" + birth).SetGender(person.Gender(gender)).SetBirthDate(date(birth))
		if edu != "" {
			q.SetEducation(person.Education(edu))
		}
		if pol != "" {
			q.SetPoliticalStatus(person.PoliticalStatus(pol))
		}
		if tags != nil {
			q.SetTags(tags)
		}
		return q.SaveX(ctx)
	}
	pst := func(p *ent.Person, v *ent.Region, role post.Role, start, end string, exit post.ExitKind) *ent.Post {
		q := c.Post.Create().SetPerson(p).SetRegion(v).SetRole(role).SetStartDate(date(start))
		if end != "" {
			q.SetEndDate(date(end))
		}
		if exit != "" {
			q.SetExitKind(exit)
		}
		return q.SaveX(ctx)
	}
	// County A.
	f.p1 = mk("MALE", "1960-05-01", "HIGH_SCHOOL", "CPC_MEMBER")
	pst(f.p1, v1, post.RolePARTY_SECRETARY, "2015-01-01", "", "")
	// P2: 委员 of V2 from the 2018 election, 一肩挑 from the 2021 one;
	// 学历提升 from high school to 本科 on 2021-06-01, after the election.
	f.p2 = mk("FEMALE", "1985-02-01", "BACHELOR", "CPC_MEMBER", "RICH_LEADER")
	f.p2Committee = pst(f.p2, v2, post.RoleCOMMITTEE_MEMBER, "2018-01-15", "2021-01-19", post.ExitKindTERM_ENDED)
	f.p2Secretary = pst(f.p2, v2, post.RoleSECRETARY_AND_DIRECTOR, "2021-01-20", "", "")
	c.PersonAttribute.Create().SetPersonID(f.p2.ID).SetAttribute(personattribute.AttributeEDUCATION).SetValue("HIGH_SCHOOL").
		SetValidUntil(date("2021-06-01")).SaveX(ctx)
	c.PersonAttribute.Create().SetPersonID(f.p2.ID).SetAttribute(personattribute.AttributeEDUCATION).SetValue("BACHELOR").
		SetValidFrom(date("2021-06-01")).SaveX(ctx)
	// P3: secretary of V2, adjusted (调整) in 2019; P4 then until the 2021 election.
	f.p3 = mk("MALE", "1970-03-01", "JUNIOR_COLLEGE", "CPC_MEMBER")
	pst(f.p3, v2, post.RolePARTY_SECRETARY, "2012-01-01", "2019-06-30", post.ExitKindADJUSTED)
	f.p4 = mk("MALE", "1980-01-10", "BACHELOR", "MASSES")
	f.p4Post = pst(f.p4, v2, post.RolePARTY_SECRETARY, "2019-07-01", "2021-01-19", post.ExitKindTERM_ENDED)
	// P5: secretary of V3 from the 2018 election, re-elected in 2021 (a new
	// post the next day); 致富带头人 from 2020 (a period).
	f.p5 = mk("FEMALE", "1992-08-01", "MASTER", "CYL_MEMBER", "RICH_LEADER")
	pst(f.p5, v3, post.RolePARTY_SECRETARY, "2018-01-15", "2021-01-19", post.ExitKindTERM_ENDED)
	pst(f.p5, v3, post.RolePARTY_SECRETARY, "2021-01-20", "", "")
	c.PersonAttribute.Create().SetPersonID(f.p5.ID).SetAttribute(personattribute.AttributeTAG).SetValue("RICH_LEADER").
		SetValidFrom(date("2020-01-01")).SaveX(ctx)
	f.p6 = mk("MALE", "1975-04-01", "", "CPC_MEMBER")
	pst(f.p6, v1, post.RoleCOMMITTEE_DIRECTOR, "2018-01-15", "", "")
	f.p7 = mk("MALE", "1990-01-01", "BACHELOR", "CPC_MEMBER")
	pst(f.p7, v3, post.RoleCOMMITTEE_MEMBER, "2019-01-01", "2020-12-31", post.ExitKindRESIGNED)
	// County B.
	f.q1 = mk("MALE", "1955-01-01", "JUNIOR_COLLEGE", "CPC_MEMBER", "VETERAN")
	pst(f.q1, v4, post.RoleSECRETARY_AND_DIRECTOR, "2010-01-01", "", "")
	f.q2 = mk("FEMALE", "1988-09-09", "BACHELOR", "CPC_MEMBER")
	pst(f.q2, v4, post.RoleDEPUTY_SECRETARY, "2021-03-10", "", "")
	f.q5 = mk("MALE", "1950-01-01", "", "CPC_MEMBER")
	f.q5Post = pst(f.q5, v5, post.RolePARTY_SECRETARY, "2010-01-01", "2015-12-31", post.ExitKindADJUSTED)
	f.q3 = mk("MALE", "1965-06-01", "HIGH_SCHOOL", "MASSES")
	pst(f.q3, v5, post.RolePARTY_SECRETARY, "2016-01-01", "2020-05-01", post.ExitKindADJUSTED)
	f.q4 = mk("MALE", "1983-03-10", "BACHELOR", "CPC_PROBATIONARY")
	pst(f.q4, v5, post.RolePARTY_SECRETARY, "2021-03-10", "", "")
	// County C, no term.
	f.r1 = mk("MALE", "1970-01-01", "BACHELOR", "CPC_MEMBER")
	f.r1Pst = pst(f.r1, v6, post.RolePARTY_SECRETARY, "2015-01-01", "", "")
	return f
}

type figs struct {
	count, male, female, upTo35, to45, to60, over60, unknown, college, party, oneShoulder, rich int
	avg                                                                                         float64
	tags                                                                                        []insight.ValueCount
}

func checkFigures(t *testing.T, what string, got *insight.StructureFigures, w figs) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil", what)
	}
	g := figs{got.Count, got.Male, got.Female, got.AgedUpTo35, got.Aged36To45, got.Aged46To60, got.AgedOver60, got.AgeUnknown,
		got.CollegeEducated, got.PartyMembers, got.OneShoulder, got.RichLeaders, 0, got.Tags}
	if got.AverageAge != nil {
		g.avg = *got.AverageAge
	}
	same := g.count == w.count && g.male == w.male && g.female == w.female && g.upTo35 == w.upTo35 && g.to45 == w.to45 &&
		g.to60 == w.to60 && g.over60 == w.over60 && g.unknown == w.unknown && g.college == w.college && g.party == w.party &&
		g.oneShoulder == w.oneShoulder && g.rich == w.rich && near(g.avg, w.avg) && len(g.tags) == len(w.tags)
	for i := 0; same && i < len(g.tags); i++ {
		same = g.tags[i] == w.tags[i]
	}
	if !same {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
	n := float64(w.count)
	for _, s := range []struct {
		name string
		got  *float64
		want float64
	}{{"female", got.FemaleShare, float64(w.female) / n}, {"college", got.CollegeShare, float64(w.college) / n},
		{"party", got.PartyShare, float64(w.party) / n}, {"oneShoulder", got.OneShoulderShare, float64(w.oneShoulder) / n},
		{"rich", got.RichLeaderShare, float64(w.rich) / n}} {
		if s.got == nil || !near(*s.got, s.want) {
			t.Errorf("%s %s share: %v, want %v", what, s.name, s.got, s.want)
		}
	}
}

func termIDs(s *insight.TermSide) map[int]bool {
	out := map[int]bool{}
	for _, t := range s.Terms {
		out[t.ID] = true
	}
	return out
}

func TestTermComparison(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := buildTerms(t, db)
		ctx := auth.System(context.Background())
		got, err := insight.CompareTerms(ctx, db.Client, "1502", 2021)
		if err != nil {
			t.Fatal(err)
		}
		if got.Region == nil || got.Region.Code != "1502" || got.Counties != 3 || got.CountiesWithoutTerm != 1 {
			t.Errorf("counties: %d, without term %d", got.Counties, got.CountiesWithoutTerm)
		}
		if ids := termIDs(got.Current); len(ids) != 2 || !ids[f.a2021.ID] || !ids[f.b2021.ID] {
			t.Errorf("current terms: %v", ids)
		}
		if got.Previous == nil {
			t.Fatal("no previous side")
		}
		if ids := termIDs(got.Previous); len(ids) != 2 || !ids[f.a2018.ID] || !ids[f.b2018.ID] {
			t.Errorf("previous terms: %v", ids)
		}
		if got.Current.ElectedFrom.Format(time.DateOnly) != "2021-01-20" || got.Current.ElectedUntil.Format(time.DateOnly) != "2021-03-10" {
			t.Errorf("current election days: %v – %v", got.Current.ElectedFrom, got.Current.ElectedUntil)
		}
		// Secretaries on A's 2021-01-20: P1 (60: birthday 05-01 to come),
		// P2 (35, high school until 2021-06-01, 一肩挑, 致富带头人 by the
		// column), P5 (28, 硕士, 团员, 致富带头人 by the period from 2020);
		// on B's 2021-03-10: Q1 (66, 大专, 一肩挑, VETERAN), Q4 (38 on her
		// birthday, 本科, 预备党员).
		checkFigures(t, "secretaries 2021", got.Current.Secretaries, figs{count: 5, male: 3, female: 2, upTo35: 2, to45: 1, to60: 1, over60: 1,
			college: 3, party: 4, oneShoulder: 2, rich: 2, avg: (60 + 35 + 28 + 66 + 38) / 5.0,
			tags: vc("RICH_LEADER", 2, "VETERAN", 1)})
		// With P6 (45, no education, 党员) and Q2 (32, 本科, 党员).
		checkFigures(t, "committee 2021", got.Current.Committee, figs{count: 7, male: 4, female: 3, upTo35: 3, to45: 2, to60: 1, over60: 1,
			college: 4, party: 6, oneShoulder: 2, rich: 2, avg: (60 + 35 + 28 + 66 + 38 + 45 + 32) / 7.0,
			tags: vc("RICH_LEADER", 2, "VETERAN", 1)})
		// Secretaries on A's 2018-01-15: P1 (57), P3 (47, 大专), P5 (25,
		// her RICH_LEADER period not begun); on B's 2018-03-01: Q1 (63),
		// Q3 (52, 高中, 群众). Q5 left in 2015, P4 came in 2019.
		checkFigures(t, "secretaries 2018", got.Previous.Secretaries, figs{count: 5, male: 4, female: 1, upTo35: 1, to45: 0, to60: 3, over60: 1,
			college: 3, party: 3, oneShoulder: 1, rich: 0, avg: (57 + 47 + 25 + 63 + 52) / 5.0,
			tags: vc("VETERAN", 1)})
		// With P2 (32, 委员, high school, 致富带头人) and P6 (42).
		checkFigures(t, "committee 2018", got.Previous.Committee, figs{count: 7, male: 5, female: 2, upTo35: 2, to45: 1, to60: 3, over60: 1,
			college: 3, party: 5, oneShoulder: 1, rich: 1, avg: (57 + 47 + 25 + 63 + 52 + 32 + 42) / 7.0,
			tags: vc("RICH_LEADER", 1, "VETERAN", 1)})
		// 连任: P1 (the same post), P5 (a new post the day after the old
		// ended), Q1; 新任: P2 (委员 before), Q4. Over 60: P1 (60), Q1.
		// 调整: P3 (2019) and Q3 (2020); Q5's (2015) is before B's 2018 term.
		if got.Retained != 3 || got.NewlyElected != 2 || got.RetainedOver60 != 2 || got.Adjusted != 2 {
			t.Errorf("retained %d, new %d, over 60 %d, adjusted %d; want 3, 2, 2, 2", got.Retained, got.NewlyElected, got.RetainedOver60, got.Adjusted)
		}
		diff := map[string]*insight.FigureDifference{}
		for _, d := range got.Differences {
			diff[d.Group+"."+d.Figure] = d
		}
		if len(got.Differences) != 22 {
			t.Errorf("%d differences", len(got.Differences))
		}
		for key, want := range map[string][3]float64{
			"SECRETARIES.count":            {5, 5, 0},
			"SECRETARIES.averageAge":       {227 / 5.0, 244 / 5.0, 227/5.0 - 244/5.0},
			"SECRETARIES.partyShare":       {0.8, 0.6, 0.2},
			"SECRETARIES.richLeaderShare":  {0.4, 0, 0.4},
			"SECRETARIES.agedOver60":       {1, 1, 0},
			"COMMITTEE.collegeShare":       {4 / 7.0, 3 / 7.0, 1 / 7.0},
			"COMMITTEE.femaleShare":        {3 / 7.0, 2 / 7.0, 1 / 7.0},
			"COMMITTEE.oneShoulderShare":   {2 / 7.0, 1 / 7.0, 1 / 7.0},
			"COMMITTEE.agedUpTo35":         {3, 2, 1},
			"COMMITTEE.aged36To45":         {2, 1, 1},
			"COMMITTEE.aged46To60":         {1, 3, -2},
			"SECRETARIES.oneShoulderShare": {0.4, 0.2, 0.2},
		} {
			d := diff[key]
			if d == nil || d.Current == nil || d.Previous == nil || d.Difference == nil ||
				!near(*d.Current, want[0]) || !near(*d.Previous, want[1]) || !near(*d.Difference, want[2]) {
				t.Errorf("%s: %+v, want %v", key, d, want)
			}
		}

		// The latest terms: B's 2024 against its 2021; A's 2021 against 2018.
		latest, err := insight.CompareTerms(ctx, db.Client, "1502", 0)
		if err != nil {
			t.Fatal(err)
		}
		if ids := termIDs(latest.Current); len(ids) != 2 || !ids[f.a2021.ID] || !ids[f.b2024.ID] {
			t.Errorf("latest terms: %v", ids)
		}
		if ids := termIDs(latest.Previous); len(ids) != 2 || !ids[f.a2018.ID] || !ids[f.b2021.ID] {
			t.Errorf("latest previous terms: %v", ids)
		}
		// By 2019 only the 2018 round: no county has an earlier term.
		first, err := insight.CompareTerms(ctx, db.Client, "1502", 2019)
		if err != nil {
			t.Fatal(err)
		}
		if first.Previous != nil || first.Current.Secretaries.Count != 5 || first.Differences[0].Difference != nil ||
			first.Differences[0].Previous != nil {
			t.Errorf("2019: previous %v, secretaries %d", first.Previous, first.Current.Secretaries.Count)
		}
		// Before any term: every county without one.
		none, err := insight.CompareTerms(ctx, db.Client, "15", 2017)
		if err != nil || none.Counties != 3 || none.CountiesWithoutTerm != 3 || none.Current.Secretaries.Count != 0 ||
			none.Current.Secretaries.AverageAge != nil || none.Current.Secretaries.FemaleShare != nil || none.Previous != nil {
			t.Errorf("2017: %+v %v", none, err)
		}

		// A village's code: its county's terms, its own village's team.
		v, err := insight.CompareTerms(ctx, db.Client, "150221100202", 2021)
		if err != nil || v.Counties != 1 || v.Current.Secretaries.Count != 1 || v.Retained != 0 || v.NewlyElected != 1 || v.Adjusted != 1 {
			t.Errorf("V2: %+v %v", v, err)
		}

		db.Statements.Reset()
		if _, err := insight.CompareTerms(ctx, db.Client, "15", 2021); err != nil {
			t.Fatal(err)
		}
		if n := db.Statements.Count(); n > 7 {
			t.Errorf("the comparison took %d statements", n)
		}
	})
}

func TestTermComparisonScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		buildTerms(t, db)
		as := func(role auth.Role, scope string) context.Context {
			return auth.NewContext(context.Background(), &auth.Viewer{UserID: 1, Role: role, Scope: scope})
		}
		// A township user of T1: its villages V1, V2 against county A's terms.
		got, err := insight.CompareTerms(as(auth.RoleTownship, "150221100"), db.Client, "150221100", 2021)
		if err != nil {
			t.Fatal(err)
		}
		// 2021: P1 (retained, 60), P2 (new); 2018: P1, P3 (adjusted 2019).
		if got.Counties != 1 || len(got.Current.Terms) != 1 || got.Current.Secretaries.Count != 2 || got.Previous.Secretaries.Count != 2 ||
			got.Current.Committee.Count != 3 || got.Retained != 1 || got.NewlyElected != 1 || got.RetainedOver60 != 1 || got.Adjusted != 1 {
			t.Errorf("township: %+v", got)
		}
		for _, c := range []struct {
			ctx  context.Context
			code string
			want string
		}{
			{as(auth.RoleTownship, "150221100"), "150221", errcode.Forbidden},
			{as(auth.RoleTownship, "150221100"), "150221101", errcode.Forbidden},
			{as(auth.RoleAdmin, "150221"), "150222", errcode.Forbidden},
			{as(auth.RoleAdmin, "150221"), "", errcode.Forbidden},
			{as(auth.RolePartner, ""), "150221", errcode.Forbidden},
			{context.Background(), "150221", errcode.Unauthenticated},
		} {
			_, err := insight.CompareTerms(c.ctx, db.Client, c.code, 2021)
			if e, ok := errcode.As(err); !ok || e.Code != c.want {
				t.Errorf("%v on %q: %v, want %s", auth.FromContext(c.ctx).Role, c.code, err, c.want)
			}
		}
		// A county admin: its county only.
		got, err = insight.CompareTerms(as(auth.RoleAdmin, "150222"), db.Client, "150222", 2021)
		if err != nil || got.Counties != 1 || got.Current.Secretaries.Count != 2 || got.Adjusted != 1 || got.Retained != 1 {
			t.Errorf("county B: %+v %v", got, err)
		}
	})
}

func TestTermOf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := buildTerms(t, db)
		ctx := auth.System(context.Background())
		got, err := insight.TermOf(ctx, db.Client, []int{f.p2Committee.ID, f.p2Secretary.ID, f.p4Post.ID, f.r1Pst.ID, f.q5Post.ID})
		if err != nil {
			t.Fatal(err)
		}
		// Taken on A's 2018 election day, on its 2021 one, in 2019; C has
		// no term; Q5's post (2010) predates B's first.
		if len(got) != 3 || got[f.p2Committee.ID].ID != f.a2018.ID || got[f.p2Secretary.ID].ID != f.a2021.ID || got[f.p4Post.ID].ID != f.a2018.ID {
			t.Errorf("terms of posts: %v", got)
		}
		// A township user of county B sees B's terms only.
		tb := auth.NewContext(context.Background(), &auth.Viewer{UserID: 1, Role: auth.RoleTownship, Scope: "150222100"})
		got, err = insight.TermOf(tb, db.Client, []int{f.p2Secretary.ID, f.q5Post.ID})
		if err != nil || len(got) != 0 {
			t.Errorf("township of B: %v %v", got, err)
		}
	})
}
