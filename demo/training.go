package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"yanzhen/ent/post"
	"yanzhen/ent/trainingclass"
	"yanzhen/rules"
)

// Training (培训) of the demo: each area's classes come from a generator of
// their own, so that the people and posts drawn before stay as they were.
const (
	// 雏鹰计划 (seed 000, an unnamed district; the demo puts it in 魏县): 85
	// young cadres over two years, 15 of whom have since become village
	// secretaries.
	youngEagles           = 85
	youngEagleSecretaries = 15
	// 30 secretaries sent to 杭州 and 成都 for 蹲点学习 (seed 000).
	onSiteStudents = 30
)

// weixianElection2021 is 魏县's 2021 换届 day.
var weixianElection2021 = date(2021, time.February, 26)

// weixianTeam is a 魏县 village team with its two reserves (a 书记培养对象
// first).
type weixianTeam struct {
	*team
	reserves []*profile
}

// postsOf indexes the planned posts by person.
func postsOf(p *plan) map[*profile][]*postPlan {
	out := map[*profile][]*postPlan{}
	for _, x := range p.posts {
		out[x.Who] = append(out[x.Who], x)
	}
	return out
}

// weixianTraining plans 魏县's 雏鹰计划 (2022–2023) and its 蹲点学习 in 杭州
// and 成都 (2024). Fifteen of the young eagles are 书记培养对象 who
// succeeded their village's secretary after the class started (the
// secretary promoted to a township post).
func weixianTraining(p *plan, county *place, teams []*weixianTeam) {
	r := rand.New(rand.NewPCG(seed, 402))
	posts := postsOf(p)
	starts, ends := date(2022, 3, 1), date(2023, 12, 31)
	eagles := p.class(&classPlan{Region: county, Name: "魏县村级后备力量“雏鹰”计划（2022—2023）", Kind: trainingclass.KindYOUNG_EAGLE,
		Organizer: "中共魏县县委组织部", Place: "魏县县委党校", Starts: starts, Ends: ends, Hours: 120})

	// Reserves selected before the class: the candidates.
	reserveSince := func(x *profile) time.Time {
		for _, ps := range posts[x] {
			if ps.Role == post.RoleRESERVE_CADRE {
				return ps.Start
			}
		}
		return time.Time{}
	}
	var heirs []*weixianTeam
	for _, t := range teams {
		if s := reserveSince(t.reserves[0]); !s.IsZero() && s.Before(starts) {
			heirs = append(heirs, t)
		}
	}
	successors := sample(r, heirs, youngEagleSecretaries)
	succeeded := map[*team]bool{}
	chosen := map[*profile]bool{}
	for _, t := range successors {
		succeeded[t.team] = true
		heir := t.reserves[0]
		chosen[heir] = true
		day := randomDay(r, date(2023, 3, 1), date(2024, 10, 31))
		var role post.Role
		for _, ps := range posts[t.secretary] {
			if isSecretaryRole(ps.Role) && ps.End.IsZero() {
				role = ps.Role
				ps.End, ps.Exit = day.AddDate(0, 0, -1), post.ExitKindTRANSFERRED
				ps.EndReason = []string{"晋升乡科级副职领导干部", "考录为乡镇公务员"}[r.IntN(2)]
			}
		}
		for _, ps := range posts[heir] {
			if ps.Role == post.RoleRESERVE_CADRE && ps.End.IsZero() {
				ps.End, ps.EndReason = day.AddDate(0, 0, -1), "补选为村党组织书记"
			}
		}
		p.post(&postPlan{Who: heir, Region: t.village, Role: role, Start: day})
		p.enrol(eagles, heir, t.village, true, -1, "优秀学员")
	}
	// The other 70: young committee members and reserves selected before
	// the class.
	type trainee struct {
		who     *profile
		village *place
	}
	var pool []trainee
	for _, t := range teams {
		for _, m := range t.members {
			if ageAt(m.Birth, starts) <= 40 {
				pool = append(pool, trainee{m, t.village})
			}
		}
		for _, rp := range t.reserves {
			if s := reserveSince(rp); !chosen[rp] && !s.IsZero() && s.Before(starts) {
				pool = append(pool, trainee{rp, t.village})
			}
		}
	}
	for _, x := range sample(r, pool, youngEagles-youngEagleSecretaries) {
		switch k := r.IntN(100); {
		case k < 8:
			p.enrol(eagles, x.who, x.village, false, 64, "中途退出")
		case k < 20:
			p.enrol(eagles, x.who, x.village, true, -1, "优秀学员")
		default:
			p.enrol(eagles, x.who, x.village, true, -1, "结业")
		}
	}

	// 蹲点学习: 30 sitting secretaries, 15 to 杭州 and 15 to 成都.
	var sitting []*team
	for _, t := range teams {
		if !succeeded[t.team] {
			sitting = append(sitting, t.team)
		}
	}
	trips := []*classPlan{
		p.class(&classPlan{Region: county, Name: "村党组织书记赴杭州蹲点学习", Kind: trainingclass.KindON_SITE_STUDY,
			Organizer: "中共魏县县委组织部", Place: "浙江省杭州市", Starts: date(2024, 4, 8), Ends: date(2024, 4, 21), Hours: 80}),
		p.class(&classPlan{Region: county, Name: "村党组织书记赴成都蹲点学习", Kind: trainingclass.KindON_SITE_STUDY,
			Organizer: "中共魏县县委组织部", Place: "四川省成都市", Starts: date(2024, 5, 13), Ends: date(2024, 5, 26), Hours: 80}),
	}
	for i, t := range sample(r, sitting, onSiteStudents) {
		p.enrol(trips[i%2], t.secretary, t.village, true, -1, "完成蹲点学习")
	}
}

// shashiTraining plans 沙市区's 名师工作室 跟班学习 of the five secretaries who
// shadowed the masters, and its yearly 村书记培训班.
func shashiTraining(p *plan, district *place, teams, shadows []*team) {
	r := rand.New(rand.NewPCG(seed, 403))
	c := p.class(&classPlan{Region: district, Name: "“杜妈工作室”等名师工作室跟班学习", Kind: trainingclass.KindSHADOWING,
		Organizer: "中共沙市区委组织部", Place: "沙市区名师工作室", Starts: date(2022, 3, 1), Ends: date(2023, 9, 30), Hours: 160})
	for _, t := range shadows[:shashiShadowing] {
		p.enrol(c, t.secretary, t.village, true, -1, "完成跟班学习")
	}
	var trainees []secretaryTrainee
	for _, t := range teams {
		trainees = append(trainees, secretaryTrainee{t.secretary, t.village, shashiElection2021})
	}
	yearlySecretaryTraining(p, r, district, "中共沙市区委组织部", "沙市区委党校", trainees)
}

// tumedTraining plans 土默特右旗's yearly 村书记培训班, and makes exactly 64
// of its village secretaries lead their village's cooperative.
func tumedTraining(p *plan, county *place, villages []*place, perVillage [][]*cadre) {
	r := rand.New(rand.NewPCG(seed, 404))
	var trainees []secretaryTrainee
	var tagged, untagged []*profile
	for vi, cs := range perVillage {
		sec := cs[0]
		trainees = append(trainees, secretaryTrainee{sec.p, villages[vi], sec.start})
		if hasTag(sec.p, "COOPERATIVE_LEADER") {
			tagged = append(tagged, sec.p)
		} else {
			untagged = append(untagged, sec.p)
		}
	}
	if len(tagged) < tumedCooperatives {
		for _, x := range sample(r, untagged, tumedCooperatives-len(tagged)) {
			x.addTag("COOPERATIVE_LEADER")
		}
	} else {
		for _, x := range sample(r, tagged, len(tagged)-tumedCooperatives) {
			dropTag(x, "COOPERATIVE_LEADER")
		}
	}
	yearlySecretaryTraining(p, r, county, "中共土默特右旗委员会组织部", "土默特右旗委党校", trainees)
}

type secretaryTrainee struct {
	who     *profile
	village *place
	since   time.Time // holds the seat since
}

// yearlySecretaryTraining plans a county's 村书记培训班 of 2023 (40 hours)
// and 2024 (36 hours) for the secretaries seated when it starts: most
// complete it; some complete only part of the hours (below the yearly
// minimum), a few do not finish.
func yearlySecretaryTraining(p *plan, r *rand.Rand, county *place, organizer, place string, trainees []secretaryTrainee) {
	for _, y := range []struct {
		year   int
		starts time.Time
		hours  float64
	}{{2023, date(2023, 5, 15), 40}, {2024, date(2024, 4, 22), 36}} {
		c := p.class(&classPlan{Region: county, Name: fmt.Sprintf("%d年%s村党组织书记培训班", y.year, county.Name),
			Kind: trainingclass.KindSECRETARY_TRAINING, Organizer: organizer, Place: place,
			Starts: y.starts, Ends: y.starts.AddDate(0, 0, 4), Hours: y.hours})
		dropped := false
		for _, t := range trainees {
			if t.since.After(y.starts) {
				continue
			}
			switch k := r.IntN(100); {
			case k < 84:
				p.enrol(c, t.who, t.village, true, -1, "结业")
			case k < 94:
				p.enrol(c, t.who, t.village, true, float64(8*(2+r.IntN(2))), "部分学时（请假）")
			default:
				dropped = true
				p.enrol(c, t.who, t.village, false, -1, "未结业")
			}
		}
		if last := c.enrolments[len(c.enrolments)-1]; !dropped {
			last.Completed, last.Hours, last.Result = false, -1, "未结业"
		}
	}
}

func hasTag(p *profile, tag string) bool {
	for _, x := range p.Tags {
		if string(x) == tag {
			return true
		}
	}
	return false
}

func dropTag(p *profile, tag string) {
	kept := p.Tags[:0]
	for _, x := range p.Tags {
		if string(x) != tag {
			kept = append(kept, x)
		}
	}
	p.Tags = kept
}

// weixianAudits plans the 届中审计 of every village of 魏县 with a team
// (seed 000: "a 届中审计 of every village"), in the autumn of 2023, of the
// secretary in office that day; most findings rectified by now.
func weixianAudits(p *plan, teams []*weixianTeam) {
	r := rand.New(rand.NewPCG(seed, 405))
	posts := map[*place][]*postPlan{}
	for _, x := range p.posts {
		if rules.IsSecretary(string(x.Role)) {
			posts[x.Region] = append(posts[x.Region], x)
		}
	}
	findings := []struct{ found, done string }{
		{"村级财务票据报销手续不全", "已补齐手续并建立报销审核台账"},
		{"集体资产台账未及时更新", "已完成资产清查并更新台账"},
		{"个别工程项目未履行“四议两公开”程序", "已补正程序并公示"},
		{"未发现重大问题", "—"},
	}
	for _, t := range teams {
		day := randomDay(r, date(2023, 9, 1), date(2023, 11, 30))
		var who *profile
		for _, x := range posts[t.village] {
			if !x.Start.After(day) && (x.End.IsZero() || !x.End.Before(day)) {
				who = x.Who
			}
		}
		f := findings[r.IntN(len(findings))]
		p.audits = append(p.audits, &auditPlan{Region: t.village, Who: who, Date: day, Findings: f.found, FollowUp: f.done,
			Rectified: r.IntN(100) < 85})
	}
}
