package insight_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/insight"
	"yanzhen/vocab"
)

// mixed is a population of villages and communities under two counties,
// everything in force today (posts from 2020 on, no end):
//
//	15 › 1502 › 150221 土右旗 › 150221100 萨拉齐镇 › 三道河村 (VILLAGE), 大城西村 (no kind),
//	                                               振华社区, 城关 (COMMUNITY)
//	                         › 150221101 双龙镇   › 双龙村 (VILLAGE), 新华社区 (COMMUNITY)
//	            › 150222 固阳县 › 150222100 金山镇 › 金山村 (VILLAGE), 金山社区 (COMMUNITY)
type mixed struct {
	county, other, t1                                  *ent.Region
	sandaohe, dachengxi, zhenhua, chengguan            *ent.Region
	shuanglong, xinhua, jinshanVillage, jinshanCommune *ent.Region
	townMentorship, communityMentorship                *ent.Mentorship
}

func buildMixed(t *testing.T, c *ent.Client) *mixed {
	t.Helper()
	ctx := auth.System(context.Background())
	m := &mixed{}
	reg := func(code, name string, level region.Level, parent *ent.Region, kind region.Kind) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName(name).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		if kind != "" {
			q.SetKind(kind)
		}
		return q.SaveX(ctx)
	}
	p := reg("15", "内蒙古自治区", region.LevelPROVINCE, nil, "")
	city := reg("1502", "包头市", region.LevelCITY, p, "")
	m.county = reg("150221", "土默特右旗", region.LevelCOUNTY, city, "")
	m.t1 = reg("150221100", "萨拉齐镇", region.LevelTOWNSHIP, m.county, "")
	t2 := reg("150221101", "双龙镇", region.LevelTOWNSHIP, m.county, "")
	m.other = reg("150222", "固阳县", region.LevelCOUNTY, city, "")
	t3 := reg("150222100", "金山镇", region.LevelTOWNSHIP, m.other, "")
	m.sandaohe = reg("150221100201", "三道河村", region.LevelVILLAGE, m.t1, region.KindVILLAGE)
	m.dachengxi = reg("150221100202", "大城西村", region.LevelVILLAGE, m.t1, "")
	m.zhenhua = reg("150221100203", "振华社区", region.LevelVILLAGE, m.t1, region.KindCOMMUNITY)
	m.chengguan = reg("150221100204", "城关", region.LevelVILLAGE, m.t1, region.KindCOMMUNITY)
	m.shuanglong = reg("150221101201", "双龙村", region.LevelVILLAGE, t2, region.KindVILLAGE)
	m.xinhua = reg("150221101202", "新华社区", region.LevelVILLAGE, t2, region.KindCOMMUNITY)
	m.jinshanVillage = reg("150222100201", "金山村", region.LevelVILLAGE, t3, region.KindVILLAGE)
	m.jinshanCommune = reg("150222100202", "金山社区", region.LevelVILLAGE, t3, region.KindCOMMUNITY)

	n := 0
	person := func() *ent.Person {
		n++
		return c.Person.Create().SetName("人" + string(rune('甲'+n))).SaveX(ctx)
	}
	hold := func(where *ent.Region, role post.Role, times int) {
		for range times {
			q := c.Post.Create().SetPerson(person()).SetRegion(where).SetRole(role).SetStartDate(date("2020-01-01"))
			if role == post.RoleRESERVE_CADRE {
				q.SetReserveList(post.ReserveListSECRETARY_CANDIDATE)
			}
			q.SaveX(ctx)
		}
	}
	adviser := func(where *ent.Region) {
		c.AdviserAppointment.Create().SetPerson(person()).SetVillage(where).SetKind(adviserappointment.KindDEVELOPMENT_ADVISER).
			SetStartDate(date("2020-01-01")).SaveX(ctx)
	}
	hold(m.sandaohe, post.RoleRESERVE_CADRE, 2)
	hold(m.sandaohe, post.RoleSECRETARY_AND_DIRECTOR, 1)
	hold(m.dachengxi, post.RoleRESERVE_CADRE, 1)
	hold(m.dachengxi, post.RolePARTY_SECRETARY, 1)
	hold(m.zhenhua, post.RoleSECRETARY_AND_DIRECTOR, 1)
	hold(m.zhenhua, post.RoleRESERVE_CADRE, 2)
	adviser(m.zhenhua)
	adviser(m.shuanglong)
	hold(m.xinhua, post.RoleRESERVE_CADRE, 1)
	hold(m.xinhua, post.RoleSECRETARY_AND_DIRECTOR, 1)
	hold(m.jinshanCommune, post.RoleSECRETARY_AND_DIRECTOR, 1)
	for _, where := range []*ent.Region{m.sandaohe, m.zhenhua, m.chengguan, m.t1} {
		c.ExpertAssignment.Create().SetExpert(person()).SetRegion(where).SetFields([]vocab.AgriculturalField{"VEGETABLES"}).
			SetStartDate(date("2020-01-01")).SaveX(ctx)
	}
	// Mentorships past their end and still active: one of a township (a
	// region of neither kind), one of a community (not a village rule).
	ms := func(where *ent.Region) *ent.Mentorship {
		return c.Mentorship.Create().SetMentor(person()).SetMentee(person()).SetRegion(where).SetProgram(mentorship.ProgramQINGLAN).
			SetStartDate(date("2020-01-01")).SetEndDate(date("2021-01-01")).SetStatus(mentorship.StatusACTIVE).SaveX(ctx)
	}
	m.townMentorship = ms(m.t1)
	m.communityMentorship = ms(m.chengguan)
	return m
}

// ownCounts are the village-rule figures of a subtree, counted by the
// test's own SQL (not the product's): each village-level region is a
// village (kind VILLAGE or none), a community held to the rules, or an
// exempt community (its county's communities_exempt).
type ownCounts struct {
	Villages, Communities, Exempt               int
	VillagesFew, CommunitiesFew                 int
	VillagesWithout, CommunitiesWithout         int
	OneShoulderVillages, OneShoulderCommunities int
	VillagesCovered, CommunitiesCovered         int
	VillagesNoSecretary, CommunitiesNoSecretary int
}

func countOwn(t *testing.T, c *ent.Client, code string) ownCounts {
	t.Helper()
	ctx := auth.System(context.Background())
	const class = `CASE WHEN v.kind = 'COMMUNITY' AND cty.communities_exempt THEN 'exempt'
		WHEN v.kind = 'COMMUNITY' THEN 'community' ELSE 'village' END`
	const from = ` FROM regions v JOIN regions cty ON cty.code = SUBSTR(v.code, 1, 6)
		WHERE v.level = 'VILLAGE' AND v.code LIKE $1`
	count := func(what string) map[string]int {
		out := map[string]int{}
		rows, err := c.QueryContext(ctx, `SELECT `+class+`, COUNT(*)`+from+` AND `+what+` GROUP BY `+class, code+"%")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			out[k] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	held := func(roles string) string {
		return `(SELECT COUNT(DISTINCT p.person_id) FROM posts p WHERE p.region_id = v.id AND p.end_date IS NULL AND p.role IN (` + roles + `))`
	}
	all := count(`1 = 1`)
	few := count(held(`'RESERVE_CADRE'`) + ` < 2`)
	without := count(`NOT EXISTS (SELECT 1 FROM adviser_appointments a WHERE a.village_id = v.id AND a.end_date IS NULL)`)
	one := count(held(`'SECRETARY_AND_DIRECTOR'`) + ` > 0`)
	noSec := count(held(`'PARTY_SECRETARY', 'SECRETARY_AND_DIRECTOR'`) + ` = 0`)
	covered := count(`EXISTS (SELECT 1 FROM expert_assignments x WHERE x.region_id = v.id AND x.end_date IS NULL)`)
	return ownCounts{
		Villages: all["village"], Communities: all["community"] + all["exempt"], Exempt: all["exempt"],
		VillagesFew: few["village"], CommunitiesFew: few["community"],
		VillagesWithout: without["village"], CommunitiesWithout: without["community"],
		OneShoulderVillages: one["village"], OneShoulderCommunities: one["community"],
		// Coverage is not a rule: exempt communities count.
		VillagesCovered: covered["village"], CommunitiesCovered: covered["community"] + covered["exempt"],
		VillagesNoSecretary: noSec["village"], CommunitiesNoSecretary: noSec["community"],
	}
}

func productCounts(t *testing.T, c *ent.Client, code string) (ownCounts, *insight.Statistics) {
	t.Helper()
	ctx := auth.System(context.Background())
	s, err := insight.RegionStatistics(ctx, c, code, insight.Today(), insight.DefaultAlertThresholds)
	if err != nil {
		t.Fatal(err)
	}
	th := insight.DefaultAlertThresholds
	alertsOf := func(k insight.AlertKind, rk region.Kind) int {
		p, err := insight.AlertsOfKind(ctx, c, code, []insight.AlertKind{k}, rk, insight.Today(), th, 100, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != len(p.Alerts) {
			t.Fatalf("%s %s of %s: total %d, listed %d", k, rk, code, p.TotalCount, len(p.Alerts))
		}
		for _, a := range p.Alerts {
			if a.RegionKind != rk {
				t.Errorf("%s of %s asked for %s: an alert of a %q region", k, code, rk, a.RegionKind)
			}
		}
		return p.TotalCount
	}
	return ownCounts{
		Villages: s.Villages, Communities: s.Communities, Exempt: s.ExemptCommunities,
		VillagesFew: s.Reserves.VillagesWithFewerThanTwo, CommunitiesFew: s.Reserves.CommunitiesWithFewerThanTwo,
		VillagesWithout: s.Advisers.VillagesWithout, CommunitiesWithout: s.Advisers.CommunitiesWithout,
		OneShoulderVillages: s.Committee.OneShoulderVillages, OneShoulderCommunities: s.Committee.OneShoulderCommunities,
		VillagesCovered: s.Experts.VillagesCovered, CommunitiesCovered: s.Experts.CommunitiesCovered,
		VillagesNoSecretary:    alertsOf(insight.NoSecretary, region.KindVILLAGE),
		CommunitiesNoSecretary: alertsOf(insight.NoSecretary, region.KindCOMMUNITY),
	}, s
}

// Villages and communities are counted apart in every village-rule figure
// and alert, against the test's own counts, with a county's communities
// held to the village rules and then exempt, and back.
func TestVillagesAndCommunitiesApart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		c := db.Client
		ctx := auth.System(context.Background())
		m := buildMixed(t, c)
		codes := []string{"15", "1502", "150221", "150221100", "150221101", "150222", m.zhenhua.Code}
		check := func(when string) map[string]ownCounts {
			t.Helper()
			out := map[string]ownCounts{}
			for _, code := range codes {
				want := countOwn(t, c, code)
				got, s := productCounts(t, c, code)
				if got != want {
					t.Errorf("%s, %s:\n got %+v\nwant %+v", when, code, got, want)
				}
				// FEW_RESERVES alerts are the short ones of each kind.
				for rk, n := range map[region.Kind]int{region.KindVILLAGE: want.VillagesFew, region.KindCOMMUNITY: want.CommunitiesFew} {
					p, err := insight.AlertsOfKind(ctx, c, code, []insight.AlertKind{insight.FewReserves}, rk, insight.Today(), insight.DefaultAlertThresholds, 100, nil)
					if err != nil || p.TotalCount != n {
						t.Errorf("%s, %s: %d FEW_RESERVES alerts of %s, want %d (%v)", when, code, p.TotalCount, rk, n, err)
					}
				}
				// Shares: 一肩挑 over villages, and over communities held
				// to the rules.
				if want.Villages > 0 && !near(*s.Committee.OneShoulderShare, float64(want.OneShoulderVillages)/float64(want.Villages)) ||
					want.Villages == 0 && s.Committee.OneShoulderShare != nil {
					t.Errorf("%s, %s: oneShoulderShare %v", when, code, s.Committee.OneShoulderShare)
				}
				if n := want.Communities - want.Exempt; n > 0 && !near(*s.Committee.OneShoulderCommunityShare, float64(want.OneShoulderCommunities)/float64(n)) ||
					n == 0 && s.Committee.OneShoulderCommunityShare != nil {
					t.Errorf("%s, %s: oneShoulderCommunityShare %v", when, code, s.Committee.OneShoulderCommunityShare)
				}
				out[code] = want
			}
			return out
		}

		// Held to the rules: 土右旗 has 3 villages (三道河村, 大城西村 with
		// no kind, 双龙村) and 3 communities. Short of reserves: 大城西村,
		// 双龙村 and 城关, 新华社区. Without an adviser: 三道河村, 大城西村
		// and 城关, 新华社区. 一肩挑: 三道河村 and 振华社区, 新华社区. No
		// secretary: 双龙村 and 城关. Experts: 三道河村 and 振华社区, 城关.
		held := check("held to the rules")
		wantHeld := ownCounts{Villages: 3, Communities: 3, VillagesFew: 2, CommunitiesFew: 2, VillagesWithout: 2, CommunitiesWithout: 2,
			OneShoulderVillages: 1, OneShoulderCommunities: 2, VillagesCovered: 1, CommunitiesCovered: 2,
			VillagesNoSecretary: 1, CommunitiesNoSecretary: 1}
		if held["150221"] != wantHeld {
			t.Fatalf("土右旗 by the test's SQL: %+v, want %+v (the fixture is not what the test says)", held["150221"], wantHeld)
		}

		// The messages say 村 / village and 社区 / community.
		p, err := insight.Alerts(ctx, c, "150221", []insight.AlertKind{insight.FewReserves, insight.NoSecretary, insight.MentorshipOverdue},
			insight.Today(), insight.DefaultAlertThresholds, 100, nil)
		if err != nil {
			t.Fatal(err)
		}
		messages := map[int][]string{}
		for _, a := range p.Alerts {
			messages[a.RegionID] = append(messages[a.RegionID], a.Message.Zh+" | "+a.Message.En)
		}
		for _, want := range []struct {
			r      *ent.Region
			zh, en string
		}{
			{m.chengguan, "城关（社区）", "community 城关"}, {m.xinhua, "新华社区", "community 新华社区"},
			{m.dachengxi, "大城西村", "village 大城西村"}, {m.shuanglong, "双龙村", "village 双龙村"},
			{m.t1, "萨拉齐镇", "萨拉齐镇"},
		} {
			ms := messages[want.r.ID]
			if len(ms) == 0 {
				t.Errorf("no alert of %s", want.r.Name)
			}
			for _, msg := range ms {
				if !strings.HasPrefix(msg, want.zh) || !strings.Contains(msg, want.en) || want.r.Level == region.LevelVILLAGE &&
					(want.r.Kind != nil && *want.r.Kind == region.KindCOMMUNITY) == strings.Contains(msg, "village ") {
					t.Errorf("the alert of %s says %q", want.r.Name, msg)
				}
			}
		}

		// The filter: a township's alerts (the mentorship of 萨拉齐镇 and
		// its expert's assignment) are of neither kind; the whole is the
		// villages', the communities' and those two.
		total := map[region.Kind]int{}
		for _, rk := range []region.Kind{"", region.KindVILLAGE, region.KindCOMMUNITY} {
			var ids []int
			for after := (*insight.AlertCursor)(nil); ; {
				p, err := insight.AlertsOfKind(ctx, c, "15", nil, rk, insight.Today(), insight.DefaultAlertThresholds, 4, after)
				if err != nil {
					t.Fatal(err)
				}
				total[rk] = p.TotalCount
				for _, a := range p.Alerts {
					if rk != "" && a.RegionKind != rk {
						t.Errorf("%s: an alert of a %q region", rk, a.RegionKind)
					}
					if a.Kind == insight.MentorshipOverdue {
						ids = append(ids, a.NodeID)
					}
				}
				if !p.HasNextPage {
					break
				}
				after = &p.Alerts[len(p.Alerts)-1].Cursor
			}
			want := map[region.Kind][]int{"": {m.townMentorship.ID, m.communityMentorship.ID},
				region.KindVILLAGE: nil, region.KindCOMMUNITY: {m.communityMentorship.ID}}[rk]
			if !reflect.DeepEqual(ids, want) {
				t.Errorf("mentorship alerts of %q: %v, want %v", rk, ids, want)
			}
		}
		if total[""] != total[region.KindVILLAGE]+total[region.KindCOMMUNITY]+2 {
			t.Errorf("alerts of 15: %v (all = villages + communities + the township's two)", total)
		}
		if _, err := insight.AlertsOfKind(ctx, c, "15", nil, "TOWN", insight.Today(), insight.DefaultAlertThresholds, 4, nil); err == nil {
			t.Error("an unknown region kind was accepted")
		}

		// 土右旗 exempts its communities: they count in communities and
		// exemptCommunities only, and give no village-rule alert; 固阳县's
		// are still held; the community's mentorship still alerts.
		if _, err := insight.SetCommunityRules(ctx, c, "150221", true); err != nil {
			t.Fatal(err)
		}
		exempt := check("土右旗 exempt")
		wantExempt := ownCounts{Villages: 3, Communities: 3, Exempt: 3, VillagesFew: 2, VillagesWithout: 2, OneShoulderVillages: 1,
			VillagesCovered: 1, CommunitiesCovered: 2, VillagesNoSecretary: 1}
		if exempt["150221"] != wantExempt {
			t.Fatalf("土右旗 exempt, by the test's SQL: %+v, want %+v", exempt["150221"], wantExempt)
		}
		if exempt["150222"] != held["150222"] || exempt["150222"].CommunitiesFew != 1 {
			t.Errorf("固阳县 changed with 土右旗's setting: %+v, was %+v", exempt["150222"], held["150222"])
		}
		p, err = insight.AlertsOfKind(ctx, c, "150221", []insight.AlertKind{insight.MentorshipOverdue}, region.KindCOMMUNITY,
			insight.Today(), insight.DefaultAlertThresholds, 10, nil)
		if err != nil || p.TotalCount != 1 || p.Alerts[0].NodeID != m.communityMentorship.ID {
			t.Errorf("an exempt community's mentorship: %+v %v", p, err)
		}

		// And back.
		if _, err := insight.SetCommunityRules(ctx, c, "150221", false); err != nil {
			t.Fatal(err)
		}
		if again := check("held again"); !reflect.DeepEqual(again, held) {
			t.Errorf("held again: %+v, first %+v", again, held)
		}
	})
}

// The kept figures (region_figures) follow a county's setting: setting it
// marks the county and the kept regions above it, not its neighbour; before
// the refresher runs the answers are live, after it they are kept, and both
// are the live figures, per region kind too.
func TestKeptFiguresFollowCommunityRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		c := db.Client
		ctx := auth.System(context.Background())
		buildMixed(t, c)
		th := insight.DefaultAlertThresholds
		kept := []string{"", "15", "1502", "150221", "150222"}
		agree := func(when string) (fromRows int) {
			t.Helper()
			for _, code := range kept {
				started := time.Now()
				got, err := insight.RegionStatistics(ctx, c, code, insight.Today(), th)
				if err != nil {
					t.Fatal(err)
				}
				want, err := insight.LiveStatistics(ctx, c, code, insight.Today(), th)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(flatTree(got), flatTree(want)) {
					t.Fatalf("%s: the statistics of %q are\n%+v\nlive\n%+v", when, code, flatTree(got), flatTree(want))
				}
				if got.ComputedAt.Before(started) {
					fromRows++
				}
				for _, rk := range []region.Kind{"", region.KindVILLAGE, region.KindCOMMUNITY} {
					counts, err := insight.LiveAlertCountsOf(ctx, c, code, rk, insight.Today(), th)
					if err != nil {
						t.Fatal(err)
					}
					n := 0
					for _, k := range insight.AlertKinds {
						n += counts[k]
					}
					p, err := insight.AlertsOfKind(ctx, c, code, nil, rk, insight.Today(), th, 100, nil)
					if err != nil {
						t.Fatal(err)
					}
					live, err := insight.LiveAlertsOfKind(ctx, c, code, nil, rk, insight.Today(), th, 100, nil)
					if err != nil {
						t.Fatal(err)
					}
					if p.TotalCount != n || !reflect.DeepEqual(p, live) {
						t.Fatalf("%s: alerts of %q, %q: %d (%d listed), live %d (%d listed)", when, code, rk, p.TotalCount, len(p.Alerts), n, len(live.Alerts))
					}
				}
			}
			return fromRows
		}
		refresh(t, ctx, c)
		if n := agree("after the first refresh"); n != len(kept) {
			t.Fatalf("%d of %d answers came from kept rows", n, len(kept))
		}
		before := communityAlerts(t, c, "150221")
		for round, exempt := range []bool{true, false, true} {
			if _, err := insight.SetCommunityRules(ctx, c, "150221", exempt); err != nil {
				t.Fatal(err)
			}
			if got, want := markedCodes(t, c), []string{"", "15", "1502", "150221"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d: marked %q, want %q", round, got, want)
			}
			agree("before refreshing")
			refresh(t, ctx, c)
			if n := agree("after refreshing"); n != len(kept) {
				t.Fatalf("round %d: %d of %d answers came from kept rows", round, n, len(kept))
			}
			after := communityAlerts(t, c, "150221")
			if exempt && after >= before || !exempt && after != before {
				t.Errorf("round %d (exempt %v): %d alerts of 土右旗's communities, %d held to the rules", round, exempt, after, before)
			}
		}
		// Setting what the county has already marks nothing.
		if _, err := insight.SetCommunityRules(ctx, c, "150221", true); err != nil {
			t.Fatal(err)
		}
		if got := markedCodes(t, c); len(got) != 0 {
			t.Errorf("setting the same value marked %q", got)
		}
	})
}

func communityAlerts(t *testing.T, c *ent.Client, code string) int {
	t.Helper()
	p, err := insight.AlertsOfKind(auth.System(context.Background()), c, code, nil, region.KindCOMMUNITY, insight.Today(),
		insight.DefaultAlertThresholds, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.TotalCount
}

// markedCodes lists the codes with a mark, sorted.
func markedCodes(t *testing.T, c *ent.Client) []string {
	t.Helper()
	rows, err := c.QueryContext(auth.System(context.Background()), `SELECT DISTINCT code FROM region_figures_marks ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code sql.NullString
		if err := rows.Scan(&code); err != nil {
			t.Fatal(err)
		}
		out = append(out, code.String)
	}
	return out
}
