package insight_test

import (
	"context"
	"reflect"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/errcode"
	"yanzhen/insight"
)

func f64(f float64) *float64 { return &f }

func vc(pairs ...any) []insight.ValueCount {
	out := []insight.ValueCount{}
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, insight.ValueCount{Value: pairs[i].(string), Count: pairs[i+1].(int)})
	}
	return out
}

// flat is the comparable part of Statistics (without region and children).
type flat struct {
	Villages, Communities, ExemptCommunities int
	Committee                                insight.CommitteeStatistics
	Reserves                                 insight.ReserveStatistics
	Advisers                                 insight.AdviserStatistics
	Experts                                  insight.ExpertStatistics
	Resident                                 []insight.ValueCount
	Contributions                            insight.ContributionStatistics
}

func flatten(s *insight.Statistics) flat {
	return flat{s.Villages, s.Communities, s.ExemptCommunities, *s.Committee, *s.Reserves, *s.Advisers, *s.Experts,
		s.ResidentCadresByDispatchLevel, *s.Contributions}
}

func TestRegionStatistics(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		build(t, db)
		ctx := auth.System(context.Background())
		s, err := insight.RegionStatistics(ctx, db.Client, "150221", asOf, insight.DefaultAlertThresholds)
		if err != nil {
			t.Fatal(err)
		}
		// 两委 on 2024-06-30: A (F, 33, 本科, 党员, 致富带头人), B (M, 46 today,
		// 高中), C (M, 60, 大专, 预备党员), E (M, 39, 致富带头人), G (M, 28,
		// 大专, 党员, secretary of V2 since 2024), I (F, 24, 硕士, 团员). D's
		// post ended, F's starts tomorrow. Ages 33+46+60+39+28+24 = 230, /6.
		// Villages V1, V3, V4 and the community V2 (its county holds it to
		// the village rules); 一肩挑 in V1 only: 1 of 3 villages, 0 of 1
		// community.
		want := flat{
			Villages: 3, Communities: 1,
			Committee: insight.CommitteeStatistics{
				Members: 6, Male: 4, Female: 2, AgedUpTo35: 3, Aged36To45: 1, Aged46To60: 2, AgedOver60: 0, AgeUnknown: 0,
				AverageAge: f64(230.0 / 6), CollegeEducated: 4, CollegeShare: f64(4.0 / 6), PartyMembers: 3, PartyShare: f64(0.5),
				OneShoulderVillages: 1, OneShoulderShare: f64(1.0 / 3), OneShoulderCommunityShare: f64(0),
				RichLeaders: 2, RichLeaderShare: f64(2.0 / 6),
			},
			// Reserves G and H in V1 (I's ended in 2019); V3, V4 and the
			// community V2 have fewer than 2.
			Reserves: insight.ReserveStatistics{Total: 2, ByList: vc("COMMITTEE_CANDIDATE", 1, "SECRETARY_CANDIDATE", 1),
				VillagesWithFewerThanTwo: 2, CommunitiesWithFewerThanTwo: 1},
			// J in V1, K in V3 (since 2024-06-15); V4 and the community V2 have none.
			Advisers: insight.AdviserStatistics{Appointments: 2, ByKind: vc("DEVELOPMENT_ADVISER", 1, "HONORARY_SECRETARY", 1),
				VillagesWithout: 1, CommunitiesWithout: 1},
			// X1 in 萨拉齐镇 (X5's ended in 2023); D1, D2, D4 open, D3 done.
			Experts: insight.ExpertStatistics{ActiveAssignments: 1, Experts: 1, VillagesCovered: 0, TownshipsCovered: 1,
				DemandsByStatus: vc("DONE", 1, "OPEN", 3)},
			Resident: vc("COUNTY", 1, "UNSPECIFIED", 1),
			// The 2024-07-15 funds come after the date.
			Contributions: insight.ContributionStatistics{ByKind: vc("FUNDS", 1, "INVESTMENT_LEAD", 1, "PROJECT_LANDED", 1), FundsYuan: 700000},
		}
		if got := flatten(s); !equalFlat(got, want) {
			t.Errorf("土右旗:\n got %+v\nwant %+v", got, want)
		}
		if len(s.Children) != 2 || s.Children[0].Region.Code != "150221100" || s.Children[1].Region.Code != "150221101" {
			t.Fatalf("children: %d", len(s.Children))
		}
		t1 := flatten(s.Children[0])
		if t1.Committee.Members != 3 || t1.Villages != 1 || t1.Communities != 1 || t1.Reserves.VillagesWithFewerThanTwo != 0 ||
			t1.Reserves.CommunitiesWithFewerThanTwo != 1 || t1.Advisers.CommunitiesWithout != 1 ||
			t1.Experts.ActiveAssignments != 1 || t1.Contributions.FundsYuan != 700000 || *t1.Committee.AverageAge != (33+46+28)/3.0 {
			t.Errorf("萨拉齐镇: %+v", t1)
		}
		// The additive figures of a region are the sums of its children's.
		var sum flat
		sum.Experts.DemandsByStatus = nil
		add := func(a, b []insight.ValueCount) []insight.ValueCount {
			m := map[string]int{}
			for _, x := range append(append([]insight.ValueCount{}, a...), b...) {
				m[x.Value] += x.Count
			}
			out := []insight.ValueCount{}
			for _, k := range []string{"COMMITTEE_CANDIDATE", "COUNTY", "DEVELOPMENT_ADVISER", "DONE", "FUNDS", "HONORARY_SECRETARY", "INVESTMENT_LEAD", "OPEN", "PROJECT_LANDED", "SECRETARY_CANDIDATE", "UNSPECIFIED"} {
				if m[k] > 0 {
					out = append(out, insight.ValueCount{Value: k, Count: m[k]})
				}
			}
			return out
		}
		for _, ch := range s.Children {
			x := flatten(ch)
			sum.Villages += x.Villages
			sum.Communities += x.Communities
			sum.Committee.Members += x.Committee.Members
			sum.Committee.Male += x.Committee.Male
			sum.Committee.Female += x.Committee.Female
			sum.Committee.AgedUpTo35 += x.Committee.AgedUpTo35
			sum.Committee.Aged46To60 += x.Committee.Aged46To60
			sum.Committee.CollegeEducated += x.Committee.CollegeEducated
			sum.Committee.PartyMembers += x.Committee.PartyMembers
			sum.Committee.RichLeaders += x.Committee.RichLeaders
			sum.Committee.OneShoulderVillages += x.Committee.OneShoulderVillages
			sum.Committee.OneShoulderCommunities += x.Committee.OneShoulderCommunities
			sum.Reserves.Total += x.Reserves.Total
			sum.Reserves.VillagesWithFewerThanTwo += x.Reserves.VillagesWithFewerThanTwo
			sum.Reserves.CommunitiesWithFewerThanTwo += x.Reserves.CommunitiesWithFewerThanTwo
			sum.Reserves.ByList = add(sum.Reserves.ByList, x.Reserves.ByList)
			sum.Advisers.Appointments += x.Advisers.Appointments
			sum.Advisers.VillagesWithout += x.Advisers.VillagesWithout
			sum.Advisers.CommunitiesWithout += x.Advisers.CommunitiesWithout
			sum.Advisers.ByKind = add(sum.Advisers.ByKind, x.Advisers.ByKind)
			sum.Experts.ActiveAssignments += x.Experts.ActiveAssignments
			sum.Experts.TownshipsCovered += x.Experts.TownshipsCovered
			sum.Experts.DemandsByStatus = add(sum.Experts.DemandsByStatus, x.Experts.DemandsByStatus)
			sum.Resident = add(sum.Resident, x.Resident)
			sum.Contributions.FundsYuan += x.Contributions.FundsYuan
			sum.Contributions.ByKind = add(sum.Contributions.ByKind, x.Contributions.ByKind)
		}
		w := want
		check := func(name string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("sum of children's %s = %v, the region's %v", name, got, want)
			}
		}
		check("villages", sum.Villages, w.Villages)
		check("communities", sum.Communities, w.Communities)
		check("members", sum.Committee.Members, w.Committee.Members)
		check("male", sum.Committee.Male, w.Committee.Male)
		check("female", sum.Committee.Female, w.Committee.Female)
		check("≤35", sum.Committee.AgedUpTo35, w.Committee.AgedUpTo35)
		check("46–60", sum.Committee.Aged46To60, w.Committee.Aged46To60)
		check("college", sum.Committee.CollegeEducated, w.Committee.CollegeEducated)
		check("party", sum.Committee.PartyMembers, w.Committee.PartyMembers)
		check("rich", sum.Committee.RichLeaders, w.Committee.RichLeaders)
		check("一肩挑", sum.Committee.OneShoulderVillages, w.Committee.OneShoulderVillages)
		check("一肩挑 communities", sum.Committee.OneShoulderCommunities, w.Committee.OneShoulderCommunities)
		check("reserves", sum.Reserves.Total, w.Reserves.Total)
		check("short villages", sum.Reserves.VillagesWithFewerThanTwo, w.Reserves.VillagesWithFewerThanTwo)
		check("short communities", sum.Reserves.CommunitiesWithFewerThanTwo, w.Reserves.CommunitiesWithFewerThanTwo)
		check("reserve lists", sum.Reserves.ByList, w.Reserves.ByList)
		check("appointments", sum.Advisers.Appointments, w.Advisers.Appointments)
		check("without advisers", sum.Advisers.VillagesWithout, w.Advisers.VillagesWithout)
		check("communities without advisers", sum.Advisers.CommunitiesWithout, w.Advisers.CommunitiesWithout)
		check("adviser kinds", sum.Advisers.ByKind, w.Advisers.ByKind)
		check("assignments", sum.Experts.ActiveAssignments, w.Experts.ActiveAssignments)
		check("townships", sum.Experts.TownshipsCovered, w.Experts.TownshipsCovered)
		check("demands", sum.Experts.DemandsByStatus, w.Experts.DemandsByStatus)
		check("residents", sum.Resident, w.Resident)
		check("funds", sum.Contributions.FundsYuan, w.Contributions.FundsYuan)
		check("contributions", sum.Contributions.ByKind, w.Contributions.ByKind)

		// Before any post: no members, no average age; villages still count.
		s, err = insight.RegionStatistics(ctx, db.Client, "150221", date("2019-01-01"), insight.DefaultAlertThresholds)
		if err != nil {
			t.Fatal(err)
		}
		if s.Committee.Members != 0 || s.Committee.AverageAge != nil || s.Committee.CollegeShare != nil || s.Villages != 3 ||
			s.Reserves.Total != 0 || s.Reserves.VillagesWithFewerThanTwo != 3 || s.Reserves.CommunitiesWithFewerThanTwo != 1 ||
			len(s.Experts.DemandsByStatus) != 0 {
			t.Errorf("2019: %+v", flatten(s))
		}
		// A region with no villages.
		s, err = insight.RegionStatistics(ctx, db.Client, "150222", asOf, insight.DefaultAlertThresholds)
		if err != nil {
			t.Fatal(err)
		}
		if got := flatten(s); got.Villages != 0 || got.Committee.Members != 0 || got.Committee.OneShoulderShare != nil ||
			len(s.Children) != 1 || s.Children[0].Villages != 0 {
			t.Errorf("固阳县: %+v", got)
		}
		// A village has no children; the province sees everything of its one city.
		s, err = insight.RegionStatistics(ctx, db.Client, "150221101202", asOf, insight.DefaultAlertThresholds)
		if err != nil || len(s.Children) != 0 || s.Villages != 1 || s.Reserves.VillagesWithFewerThanTwo != 1 {
			t.Errorf("新营村: %+v %v", s, err)
		}
		s, err = insight.RegionStatistics(ctx, db.Client, "15", asOf, insight.DefaultAlertThresholds)
		if err != nil || s.Committee.Members != 6 || len(s.Children) != 1 || s.Children[0].Committee.Members != 6 {
			t.Errorf("province: %v", err)
		}
		_, err = insight.RegionStatistics(ctx, db.Client, "159999", asOf, insight.DefaultAlertThresholds)
		if e, ok := errcode.As(err); !ok || e.Code != errcode.NotFound {
			t.Errorf("unknown region: %v", err)
		}
		db.Statements.Reset()
		insight.RegionStatistics(ctx, db.Client, "150221", asOf, insight.DefaultAlertThresholds)
		if n := db.Statements.Count(); n > 10 {
			t.Errorf("statistics took %d statements", n)
		}
	})
}

// equalFlat compares statistics, floats to within rounding.
func equalFlat(a, b flat) bool {
	fa, fb := a.Committee, b.Committee
	for _, p := range [][2]*float64{{fa.AverageAge, fb.AverageAge}, {fa.CollegeShare, fb.CollegeShare}, {fa.PartyShare, fb.PartyShare},
		{fa.OneShoulderShare, fb.OneShoulderShare}, {fa.OneShoulderCommunityShare, fb.OneShoulderCommunityShare},
		{fa.RichLeaderShare, fb.RichLeaderShare}} {
		if (p[0] == nil) != (p[1] == nil) || p[0] != nil && !near(*p[0], *p[1]) {
			return false
		}
	}
	a.Committee.AverageAge, a.Committee.CollegeShare, a.Committee.PartyShare, a.Committee.OneShoulderShare, a.Committee.RichLeaderShare = nil, nil, nil, nil, nil
	b.Committee.AverageAge, b.Committee.CollegeShare, b.Committee.PartyShare, b.Committee.OneShoulderShare, b.Committee.RichLeaderShare = nil, nil, nil, nil, nil
	a.Committee.OneShoulderCommunityShare, b.Committee.OneShoulderCommunityShare = nil, nil
	return reflect.DeepEqual(a, b)
}
