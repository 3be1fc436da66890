package attrhistory_test

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"testing"
	"time"

	"yanzhen/attrhistory"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/user"
	"yanzhen/errcode"
	"yanzhen/insight"
	"yanzhen/rules"
	"yanzhen/vocab"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// world: a county 150221 with township 150221100 and village V, a person
// P on V's 两委 since 2020 (高中, 群众, no tags), and a county 150222 with
// its admin.
type world struct {
	village, township *ent.Region
	p                 *ent.Person
	admin, other      context.Context
	village_, partner context.Context
	anonymous         context.Context
}

func setup(t *testing.T, db *dbtest.DB) *world {
	t.Helper()
	sys := auth.System(context.Background())
	c := db.Client
	reg := func(code string, level region.Level, parent *ent.Region) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName("R" + code).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		if level == region.LevelVILLAGE {
			q.SetKind(region.KindVILLAGE)
		}
		return q.SaveX(sys)
	}
	p15 := reg("15", region.LevelPROVINCE, nil)
	c1502 := reg("1502", region.LevelCITY, p15)
	county := reg("150221", region.LevelCOUNTY, c1502)
	w := &world{}
	w.township = reg("150221100", region.LevelTOWNSHIP, county)
	w.village = reg("150221100201", region.LevelVILLAGE, w.township)
	reg("150222", region.LevelCOUNTY, c1502)
	w.p = c.Person.Create().SetName("甲").SetGender(person.GenderMALE).SetBirthDate(date("1980-01-01")).
		SetEducation(person.EducationHIGH_SCHOOL).SetPoliticalStatus(person.PoliticalStatusMASSES).
		SetHomeVillage(w.village).SaveX(sys)
	c.Post.Create().SetPerson(w.p).SetRegion(w.village).SetRole(post.RoleCOMMITTEE_MEMBER).
		SetStartDate(date("2020-01-01")).SaveX(sys)
	user := func(name string, role auth.Role, code string) context.Context {
		u := c.User.Create().SetUsername(name).SetPasswordHash("x").SetRole(userRole(role)).SetRegionCode(code).SaveX(sys)
		return auth.NewContext(context.Background(), &auth.Viewer{UserID: u.ID, Role: role, Scope: code})
	}
	w.admin = user("county", auth.RoleAdmin, "150221")
	w.other = user("other", auth.RoleAdmin, "150222")
	w.village_ = user("village", auth.RoleVillage, "150221100201")
	w.partner = auth.NewContext(context.Background(), &auth.Viewer{UserID: 999, Role: auth.RolePartner})
	w.anonymous = context.Background()
	return w
}

// figures are the committee's figures of the township on a day, as
// insight.RegionStatistics gives them.
func figures(t *testing.T, db *dbtest.DB, day time.Time) (college, party, rich int) {
	t.Helper()
	s, err := insight.RegionStatistics(auth.System(context.Background()), db.Client, "150221100", day, insight.DefaultAlertThresholds)
	if err != nil {
		t.Fatal(err)
	}
	return s.Committee.CollegeEducated, s.Committee.PartyMembers, s.Committee.RichLeaders
}

// column reads the person's columns with the test's own SQL.
func column(t *testing.T, db *dbtest.DB, id int) (edu, pol sql.NullString, tags string, join sql.NullString) {
	t.Helper()
	var tg sql.NullString
	row := db.SQL.QueryRow(`SELECT education, political_status, CAST(tags AS TEXT), CAST(party_join_date AS TEXT) FROM persons WHERE id = ` + itoa(id))
	if err := row.Scan(&edu, &pol, &tg, &join); err != nil {
		t.Fatal(err)
	}
	return edu, pol, tg.String, join
}

func itoa(n int) string { return strconv.Itoa(n) }

// periods reads the person's periods of an attribute with the test's own
// SQL: value, from, until (as YYYY-MM-DD, "" when open), corrected.
func periods(t *testing.T, db *dbtest.DB, id int, attribute string) [][4]string {
	t.Helper()
	rows, err := db.SQL.Query(`SELECT value, valid_from, valid_until, corrected_at IS NOT NULL FROM person_attributes
		WHERE person_id = ` + itoa(id) + ` AND attribute = '` + attribute + `' ORDER BY valid_from IS NOT NULL, valid_from, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][4]string
	for rows.Next() {
		var (
			v        string
			from, to sql.NullTime
			corr     bool
		)
		if err := rows.Scan(&v, &from, &to, &corr); err != nil {
			t.Fatal(err)
		}
		d := func(n sql.NullTime) string {
			if !n.Valid {
				return ""
			}
			return n.Time.Format(time.DateOnly)
		}
		c := ""
		if corr {
			c = "corrected"
		}
		out = append(out, [4]string{v, d(from), d(to), c})
	}
	return out
}

func code(err error) (string, string) {
	if e, ok := errcode.As(err); ok {
		return e.Code, e.Field
	}
	if err == nil {
		return "", ""
	}
	return "?" + err.Error(), ""
}

func TestEducationChangeKeepsThePast(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := setup(t, db)
		c := db.Client
		today := rules.Today(time.Now())
		past := date("2022-12-31")
		if col, _, _ := figures(t, db, past); col != 0 {
			t.Fatalf("before any change: %d college-educated in 2022", col)
		}
		// 学历提升: 高中 → 本科 from 2023-06-01.
		p, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
			Attribute: personattribute.AttributeEDUCATION, Value: ptr("BACHELOR"), From: date("2023-06-01"), Note: ptr("国家开放大学")})
		if err != nil {
			t.Fatal(err)
		}
		if p.Education == nil || *p.Education != person.EducationBACHELOR {
			t.Fatalf("returned person: %v", p.Education)
		}
		if edu, _, _, _ := column(t, db, w.p.ID); edu.String != "BACHELOR" {
			t.Fatalf("column: %v", edu)
		}
		want := [][4]string{{"HIGH_SCHOOL", "", "2023-06-01", ""}, {"BACHELOR", "2023-06-01", "", ""}}
		if got := periods(t, db, w.p.ID, "EDUCATION"); !slices.Equal(got, want) {
			t.Fatalf("periods %v, want %v", got, want)
		}
		if col, _, _ := figures(t, db, past); col != 0 {
			t.Errorf("2022 after the change: %d college-educated, want 0", col)
		}
		if col, _, _ := figures(t, db, today); col != 1 {
			t.Errorf("today after the change: %d college-educated, want 1", col)
		}
		// Another change of today's education (a master's from last year… a
		// day after the first) and a correction of the current period: 2022
		// does not move.
		if _, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
			Attribute: personattribute.AttributeEDUCATION, Value: ptr("MASTER"), From: date("2024-09-01")}); err != nil {
			t.Fatal(err)
		}
		// A plain update of the column is a correction of today's period.
		if err := c.Person.UpdateOneID(w.p.ID).SetEducation(person.EducationDOCTORATE).Exec(w.admin); err != nil {
			t.Fatal(err)
		}
		want = [][4]string{{"HIGH_SCHOOL", "", "2023-06-01", ""}, {"BACHELOR", "2023-06-01", "2024-09-01", ""}, {"DOCTORATE", "2024-09-01", "", "corrected"}}
		if got := periods(t, db, w.p.ID, "EDUCATION"); !slices.Equal(got, want) {
			t.Fatalf("periods %v, want %v", got, want)
		}
		if col, _, _ := figures(t, db, past); col != 0 {
			t.Errorf("2022 after today's education changed again: %d college-educated, want 0", col)
		}
		if col, _, _ := figures(t, db, date("2024-01-01")); col != 1 {
			t.Errorf("2024-01-01: %d college-educated, want 1", col)
		}
		// A correction of the old period (it was 大专, not 高中) does move it.
		old := c.PersonAttribute.Query().Where(personattribute.PersonID(w.p.ID), personattribute.ValidFromIsNil(),
			personattribute.AttributeEQ(personattribute.AttributeEDUCATION)).OnlyX(w.admin)
		corr, err := attrhistory.CorrectAttribute(w.admin, c, old.ID, "JUNIOR_COLLEGE", ptr("录入错误"))
		if err != nil {
			t.Fatal(err)
		}
		if corr.CorrectedAt == nil || corr.Value != "JUNIOR_COLLEGE" {
			t.Fatalf("corrected period: %+v", corr)
		}
		if col, _, _ := figures(t, db, past); col != 1 {
			t.Errorf("2022 after correcting the old period: %d college-educated, want 1", col)
		}
		if edu, _, _, _ := column(t, db, w.p.ID); edu.String != "DOCTORATE" {
			t.Errorf("column after correcting a past period: %v", edu)
		}
		// Correcting the period in force today moves the column.
		cur := c.PersonAttribute.Query().Where(personattribute.PersonID(w.p.ID), personattribute.ValidUntilIsNil(),
			personattribute.AttributeEQ(personattribute.AttributeEDUCATION)).OnlyX(w.admin)
		if _, err := attrhistory.CorrectAttribute(w.admin, c, cur.ID, "MASTER", nil); err != nil {
			t.Fatal(err)
		}
		if edu, _, _, _ := column(t, db, w.p.ID); edu.String != "MASTER" {
			t.Errorf("column after correcting today's period: %v", edu)
		}
		// Audited: the changes (creates, updates) and the corrections.
		sys := auth.System(context.Background())
		n := c.AuditLog.Query().Where(auditlog.EntityType("PersonAttribute")).CountX(sys)
		if n < 6 {
			t.Errorf("%d audit entries of periods, want at least 6", n)
		}
		// The timeline tells the change from the correction.
		tl, err := insight.PersonTimeline(w.admin, c, w.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range tl {
			if e.Kind == insight.AttributeChangedEntry || e.Kind == insight.AttributeCorrectedEntry {
				titles = append(titles, string(e.Kind)+" "+e.StartDate.Format(time.DateOnly)+" "+e.Title)
			}
		}
		day := today.Format(time.DateOnly)
		wantT := []string{
			"ATTRIBUTE_CHANGED 2023-06-01 学历：大专 → 本科",
			"ATTRIBUTE_CHANGED 2024-09-01 学历：本科 → 硕士研究生",
			"ATTRIBUTE_CORRECTED " + day + " 学历（更正）：大专",
			"ATTRIBUTE_CORRECTED " + day + " 学历（更正）：硕士研究生",
		}
		if !slices.Equal(titles, wantT) {
			t.Errorf("timeline %q, want %q", titles, wantT)
		}
		// Someone who does not see the person sees no period.
		if n := c.PersonAttribute.Query().CountX(w.other); n != 0 {
			t.Errorf("another county's admin sees %d periods", n)
		}
		if n := c.Person.Query().Where(person.HasAttributeHistory()).CountX(w.other); n != 0 {
			t.Errorf("another county's admin sees %d people by their periods", n)
		}
		if n, err := c.PersonAttribute.Query().Count(w.anonymous); err == nil || n != 0 {
			t.Errorf("anonymous sees %d periods (%v)", n, err)
		}
		if n := c.PersonAttribute.Query().CountX(w.village_); n != 3 {
			t.Errorf("the village user sees %d periods of their villager, want 3", n)
		}
	})
}

func TestSplitBeforeALaterChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := setup(t, db)
		c := db.Client
		change := func(v, from string) {
			t.Helper()
			if _, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
				Attribute: personattribute.AttributePROFESSIONAL_TITLE, Value: ptr(v), From: date(from)}); err != nil {
				t.Fatal(err)
			}
		}
		change("农艺师", "2024-01-01")
		change("助理农艺师", "2021-01-01") // recorded later, dated earlier
		want := [][4]string{{"", "", "2021-01-01", ""}, {"助理农艺师", "2021-01-01", "2024-01-01", ""}, {"农艺师", "2024-01-01", "", ""}}
		if got := periods(t, db, w.p.ID, "PROFESSIONAL_TITLE"); !slices.Equal(got, want) {
			t.Fatalf("periods %v, want %v", got, want)
		}
		if p := c.Person.GetX(w.admin, w.p.ID); p.ProfessionalTitle != "农艺师" {
			t.Errorf("today's title %q", p.ProfessionalTitle)
		}
		// A second change on the day of one: that period takes the value.
		change("高级农艺师", "2024-01-01")
		want[2][0] = "高级农艺师"
		if got := periods(t, db, w.p.ID, "PROFESSIONAL_TITLE"); !slices.Equal(got, want) {
			t.Fatalf("same-day change: periods %v, want %v", got, want)
		}
		// An update writing the same title is no correction.
		if err := c.Person.UpdateOneID(w.p.ID).SetProfessionalTitle("高级农艺师").SetName("甲").Exec(w.admin); err != nil {
			t.Fatal(err)
		}
		if got := periods(t, db, w.p.ID, "PROFESSIONAL_TITLE"); !slices.Equal(got, want) {
			t.Fatalf("an unchanged update marked a period: %v", got)
		}
		// A tag gained and lost on the same day never was.
		for _, add := range []bool{true, false} {
			if _, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
				Attribute: personattribute.AttributeTAG, Tag: ptr("VETERAN"), Add: ptr(add), From: date("2022-05-01")}); err != nil {
				t.Fatal(err)
			}
		}
		if got := periods(t, db, w.p.ID, "TAG"); len(got) != 0 {
			t.Errorf("tag periods %v", got)
		}
		if p := c.Person.GetX(w.admin, w.p.ID); len(p.Tags) != 0 {
			t.Errorf("tags %v", p.Tags)
		}
		// The same value again on a day it already holds.
		_, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
			Attribute: personattribute.AttributePROFESSIONAL_TITLE, Value: ptr("高级农艺师"), From: date("2025-01-01")})
		if cd, f := code(err); cd != errcode.BadUserInput || f != "value" {
			t.Errorf("unchanged: %s %s", cd, f)
		}
	})
}

func TestPartyAndTags(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := setup(t, db)
		c := db.Client
		today := rules.Today(time.Now())
		// 入党: 群众 → 预备党员 from 2022-07-01 (joined that day), the tag
		// RICH_LEADER from 2023-03-01.
		if _, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
			Attribute: personattribute.AttributePOLITICAL_STATUS, Value: ptr("CPC_PROBATIONARY"), From: date("2022-07-01")}); err != nil {
			t.Fatal(err)
		}
		if _, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
			Attribute: personattribute.AttributeTAG, Tag: ptr("RICH_LEADER"), Add: ptr(true), From: date("2023-03-01")}); err != nil {
			t.Fatal(err)
		}
		_, pol, tags, join := column(t, db, w.p.ID)
		if pol.String != "CPC_PROBATIONARY" || !slices.Contains([]string{`["RICH_LEADER"]`}, tags) || join.String[:10] != "2022-07-01" {
			t.Fatalf("columns: %v %s %v", pol, tags, join)
		}
		var pjd sql.NullTime
		if err := db.SQL.QueryRow(`SELECT party_join_date FROM person_attributes WHERE person_id = ` + itoa(w.p.ID) +
			` AND attribute = 'POLITICAL_STATUS' AND valid_from IS NOT NULL`).Scan(&pjd); err != nil || pjd.Time.Format(time.DateOnly) != "2022-07-01" {
			t.Fatalf("period's party join date %v %v", pjd, err)
		}
		for _, c := range []struct {
			day               string
			party, richLeader int
		}{{"2022-06-30", 0, 0}, {"2022-07-01", 1, 0}, {"2023-02-28", 1, 0}, {"2023-03-01", 1, 1}, {today.Format(time.DateOnly), 1, 1}} {
			if _, party, rich := figures(t, db, date(c.day)); party != c.party || rich != c.richLeader {
				t.Errorf("%s: %d party members, %d rich leaders; want %d, %d", c.day, party, rich, c.party, c.richLeader)
			}
		}
		// Dropping the tag from 2024-01-01: today's list loses it, 2023
		// keeps it.
		if _, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
			Attribute: personattribute.AttributeTAG, Tag: ptr("RICH_LEADER"), Add: ptr(false), From: date("2024-01-01")}); err != nil {
			t.Fatal(err)
		}
		if p := c.Person.GetX(w.admin, w.p.ID); len(p.Tags) != 0 {
			t.Errorf("tags today %v", p.Tags)
		}
		if _, _, rich := figures(t, db, date("2023-12-31")); rich != 1 {
			t.Errorf("2023-12-31 after the drop: %d rich leaders, want 1", rich)
		}
		if _, _, rich := figures(t, db, today); rich != 0 {
			t.Errorf("today after the drop: %d rich leaders, want 0", rich)
		}
		// A plain update adding the tag back today corrects: it never was
		// dropped.
		if err := c.Person.UpdateOneID(w.p.ID).SetTags([]vocab.PersonTag{"RICH_LEADER"}).Exec(w.admin); err != nil {
			t.Fatal(err)
		}
		if got, want := periods(t, db, w.p.ID, "TAG"), [][4]string{{"RICH_LEADER", "2023-03-01", "", "corrected"}}; !slices.Equal(got, want) {
			t.Errorf("tag periods %v, want %v", got, want)
		}
		if _, _, rich := figures(t, db, date("2024-06-01")); rich != 1 {
			t.Errorf("2024-06-01 after the correction: %d rich leaders, want 1", rich)
		}
	})
}

func TestChangeRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := setup(t, db)
		c := db.Client
		edu := func(ctx context.Context, v, from string) error {
			_, err := attrhistory.ChangeAttribute(ctx, c, attrhistory.Change{PersonID: w.p.ID,
				Attribute: personattribute.AttributeEDUCATION, Value: ptr(v), From: date(from)})
			return err
		}
		tomorrow := rules.Today(time.Now()).AddDate(0, 0, 1).Format(time.DateOnly)
		for _, x := range []struct {
			name        string
			err         error
			code, field string
		}{
			{"bad education", edu(w.admin, "PHD", "2023-01-01"), errcode.BadUserInput, "value"},
			{"future", edu(w.admin, "BACHELOR", tomorrow), errcode.BadUserInput, "from"},
			{"bad status", func() error {
				_, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
					Attribute: personattribute.AttributePOLITICAL_STATUS, Value: ptr("MEMBER"), From: date("2023-01-01")})
				return err
			}(), errcode.BadUserInput, "value"},
			{"future party join", func() error {
				_, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
					Attribute: personattribute.AttributePOLITICAL_STATUS, Value: ptr("CPC_MEMBER"), From: date("2023-01-01"), PartyJoinDate: ptr(date(tomorrow))})
				return err
			}(), errcode.BadUserInput, "partyJoinDate"},
			{"unknown tag", func() error {
				_, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
					Attribute: personattribute.AttributeTAG, Tag: ptr("NO_SUCH_TAG"), From: date("2023-01-01")})
				return err
			}(), errcode.BadUserInput, "tag"},
			{"long title", func() error {
				_, err := attrhistory.ChangeAttribute(w.admin, c, attrhistory.Change{PersonID: w.p.ID,
					Attribute: personattribute.AttributePROFESSIONAL_TITLE, Value: ptr(string(make([]byte, 65))), From: date("2023-01-01")})
				return err
			}(), errcode.BadUserInput, "value"},
			{"village user", edu(w.village_, "BACHELOR", "2023-01-01"), errcode.Forbidden, ""},
			{"partner", edu(w.partner, "BACHELOR", "2023-01-01"), errcode.Forbidden, ""},
			{"anonymous", edu(w.anonymous, "BACHELOR", "2023-01-01"), errcode.Unauthenticated, ""},
			{"another county", edu(w.other, "BACHELOR", "2023-01-01"), errcode.NotFound, "personID"},
		} {
			if cd, f := code(x.err); cd != x.code || f != x.field {
				t.Errorf("%s: %s %q, want %s %q", x.name, cd, f, x.code, x.field)
			}
		}
		if n := c.PersonAttribute.Query().CountX(auth.System(context.Background())); n != 0 {
			t.Fatalf("%d periods written by refused changes", n)
		}
		// Corrections: the same roles, and the value checked.
		if err := edu(w.admin, "BACHELOR", "2023-01-01"); err != nil {
			t.Fatal(err)
		}
		id := c.PersonAttribute.Query().FirstIDX(w.admin)
		for _, x := range []struct {
			name        string
			ctx         context.Context
			value       string
			code, field string
		}{
			{"bad value", w.admin, "PHD", errcode.BadUserInput, "value"},
			{"village user", w.village_, "MASTER", errcode.Forbidden, ""},
			{"partner", w.partner, "MASTER", errcode.Forbidden, ""},
			{"anonymous", w.anonymous, "MASTER", errcode.Unauthenticated, ""},
			{"another county", w.other, "MASTER", errcode.NotFound, "id"},
		} {
			_, err := attrhistory.CorrectAttribute(x.ctx, c, id, x.value, nil)
			if cd, f := code(err); cd != x.code || f != x.field {
				t.Errorf("correction, %s: %s %q, want %s %q", x.name, cd, f, x.code, x.field)
			}
		}
	})
}

func userRole(r auth.Role) user.Role { return user.Role(r) }
