package insight_test

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/insight"
)

// A birth date known to the month (出生年月) is stored as the 1st, so it
// counts from the 1st: in the birth month the person has reached the new
// age, as cadre work reads 出生年月 ("born 1988.07" is 36 in July 2024).
// The boundary between the bands ≤35 and 36–45 is the 1st of the month.
func TestAgesOfMonthOnlyBirthDates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		county := c.Region.Create().SetCode("150221").SetName("土默特右旗").SetLevel(region.LevelCOUNTY).SaveX(ctx)
		town := c.Region.Create().SetCode("150221100").SetName("萨拉齐镇").SetLevel(region.LevelTOWNSHIP).SetParent(county).SaveX(ctx)
		village := c.Region.Create().SetCode("150221100201").SetName("三道河村").SetLevel(region.LevelVILLAGE).
			SetParent(town).SetKind(region.KindVILLAGE).SaveX(ctx)
		// Written 1988-07-20 with precision MONTH: stored as 1988-07-01.
		p := c.Person.Create().SetName("王建国").SetBirthDate(date("1988-07-20")).
			SetBirthDatePrecision(person.BirthDatePrecisionMONTH).SaveX(ctx)
		if got := p.BirthDate.Format("2006-01-02"); got != "1988-07-01" {
			t.Fatalf("stored %s", got)
		}
		c.Post.Create().SetPersonID(p.ID).SetRegionID(village.ID).SetRole(post.RoleCOMMITTEE_MEMBER).
			SetStartDate(date("2020-01-01")).SaveX(ctx)
		for _, tc := range []struct {
			on         string
			age, to35  int
			from36to45 int
		}{
			{"2024-06-30", 35, 1, 0}, // the last day before the birth month
			{"2024-07-01", 36, 0, 1}, // the 1st of the birth month
			{"2024-07-31", 36, 0, 1},
		} {
			s, err := insight.RegionStatistics(ctx, c, "150221", date(tc.on), insight.AlertThresholds{})
			if err != nil {
				t.Fatal(err)
			}
			m := s.Committee
			if m.Members != 1 || m.AverageAge == nil || *m.AverageAge != float64(tc.age) || m.AgedUpTo35 != tc.to35 || m.Aged36To45 != tc.from36to45 {
				t.Errorf("on %s: %d members, age %v, ≤35 %d, 36–45 %d; want age %d", tc.on, m.Members, m.AverageAge, m.AgedUpTo35, m.Aged36To45, tc.age)
			}
		}
	})
}
