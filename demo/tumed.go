package demo

import (
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"yanzhen/ent/assessment"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/reward"
	"yanzhen/vocab"
)

// The figures of 土默特右旗 as the 2024 report gives them; see the package
// documentation for how each is counted.
const (
	tumedVillages  = 201
	tumedCadres    = 1217
	tumedYoung     = 237 // under 35
	tumedCollege   = 554 // 45.5% of 1217 = 553.7
	tumedReserves  = 749
	tumedReturnees = 237
	tumedShort     = 4   // villages with a single reserve
	tumedOverlap   = 110 // sitting committee members who are also 书记培养对象
	// tumedAgeSum makes the mean completed age 41.75 (exact ages ≈ 42.25).
	tumedAgeSum = 50810
	// The work cycle of the year (seed 004): 1,681 duty items (履职清单) over
	// the 201 villages, one list per cadre; 169 cadres rewarded with over
	// 70万元 (712,000 yuan here); 17 区市级先进个人 among them.
	tumedDutyItems    = 1681
	tumedRewarded     = 169
	tumedRewardYuan   = 712000
	tumedAdvancedOnes = 17
	// 64 villages where the secretary leads the village's cooperative
	// (seed 004: 党支部领办合作社).
	tumedCooperatives = 64
)

// The 换届 days of 土默特右旗.
var (
	tumedElection2018 = date(2018, time.June, 28)
	tumedElection2021 = date(2021, time.July, 16)
)

// Mentoring generations: a mentor's rank is always below the mentee's.
const (
	rankElder     = 1 // retired secretaries, 名师, veteran secretaries, experts
	rankSecretary = 2
	rankCadre     = 3
	rankReserve   = 4
	rankOutsider  = 5 // resident cadres and advisers: never mentored here
)

func isSecretaryRole(r post.Role) bool {
	return r == post.RolePARTY_SECRETARY || r == post.RoleSECRETARY_AND_DIRECTOR
}

// chooseVillages keeps n villages: it drops first the names that do not end
// in 村, then the highest codes.
func chooseVillages(all []*place, n int) []*place {
	if len(all) <= n {
		return all
	}
	ranked := append([]*place(nil), all...)
	sort.SliceStable(ranked, func(i, j int) bool {
		ci, cj := strings.HasSuffix(ranked[i].Name, "村"), strings.HasSuffix(ranked[j].Name, "村")
		if ci != cj {
			return ci
		}
		return ranked[i].Code < ranked[j].Code
	})
	kept := ranked[:n]
	sort.Slice(kept, func(i, j int) bool { return kept[i].Code < kept[j].Code })
	return kept
}

type cadre struct {
	p     *profile
	v     int // index of the village
	role  post.Role
	start time.Time
}

func buildTumedRight(p *plan, a *area, f *factory) error {
	if err := a.need(tumedVillages); err != nil {
		return err
	}
	r := f.r
	villages := chooseVillages(a.villages, tumedVillages)
	county := a.root.Code

	// Seats: every village a secretary (85% 一肩挑, otherwise a separate
	// 村委会主任), often a deputy, the rest committee members.
	sizes := spread(r, tumedCadres, len(villages), 5, 7)
	var seats []cadre
	for vi := range villages {
		role := post.RoleSECRETARY_AND_DIRECTOR
		if r.IntN(100) < 15 {
			role = post.RolePARTY_SECRETARY
		}
		seats = append(seats, cadre{v: vi, role: role})
		k := 1
		if role == post.RolePARTY_SECRETARY {
			seats = append(seats, cadre{v: vi, role: post.RoleCOMMITTEE_DIRECTOR})
			k++
		}
		if r.IntN(100) < 40 {
			seats = append(seats, cadre{v: vi, role: post.RoleDEPUTY_SECRETARY})
			k++
		}
		for ; k < sizes[vi]; k++ {
			seats = append(seats, cadre{v: vi, role: post.RoleCOMMITTEE_MEMBER})
		}
	}
	n := len(seats)

	// Ages: exactly tumedYoung under 35 (secretaries rarely), the rest nudged
	// one year at a time until the sum is exact.
	w := make([]float64, n)
	for i, s := range seats {
		switch {
		case isSecretaryRole(s.role):
			w[i] = 0.3
		case s.role == post.RoleCOMMITTEE_DIRECTOR:
			w[i] = 0.6
		default:
			w[i] = 1
		}
	}
	young := make([]bool, n)
	for _, i := range topK(r, w, tumedYoung) {
		young[i] = true
	}
	ages := make([]int, n)
	sum := 0
	for i, s := range seats {
		switch {
		case young[i]:
			ages[i] = 23 + r.IntN(12)
		case isSecretaryRole(s.role):
			ages[i] = 38 + r.IntN(10) + r.IntN(10)
		default:
			ages[i] = 35 + r.IntN(9) + r.IntN(10)
		}
		if !young[i] && r.IntN(100) < 6 {
			ages[i] = min(ages[i]+r.IntN(8), 62)
		}
		sum += ages[i]
	}
	for sum != tumedAgeSum {
		i := r.IntN(n)
		switch {
		case young[i]:
		case sum < tumedAgeSum && ages[i] < 62:
			ages[i]++
			sum++
		case sum > tumedAgeSum && ages[i] > 35:
			ages[i]--
			sum--
		}
	}

	// Education and returnees: exact counts, leaning young.
	for i := range w {
		switch {
		case young[i]:
			w[i] = 3
		case ages[i] < 45:
			w[i] = 1.3
		default:
			w[i] = 0.5
		}
	}
	isCollegeSeat := make([]bool, n)
	for _, i := range topK(r, w, tumedCollege) {
		isCollegeSeat[i] = true
	}
	for i := range w {
		switch {
		case young[i]:
			w[i] = 3
		case ages[i] < 45:
			w[i] = 1.2
		default:
			w[i] = 0.35
		}
	}
	returnee := make([]bool, n)
	for _, i := range topK(r, w, tumedReturnees) {
		returnee[i] = true
	}

	// The 2021 换届 day, the same in every village (the draw is kept so
	// that the people drawn after it stay as they were).
	p.elections(a.root, tumedElection2018, tumedElection2021)
	election := make([]time.Time, len(villages))
	for vi := range villages {
		_ = r.IntN(60)
		election[vi] = tumedElection2021
	}
	perVillage := make([][]*cadre, len(villages))
	for i := range seats {
		s := &seats[i]
		v := villages[s.v]
		female := r.IntN(100) < 28
		if isSecretaryRole(s.role) {
			female = r.IntN(100) < 10
		}
		pp := f.newPerson(county, ages[i], female, innerMongolia)
		pp.HomeVillageID = v.ID
		pp.rank = rankCadre
		if isSecretaryRole(s.role) {
			pp.rank = rankSecretary
		}
		if isCollegeSeat[i] {
			pp.Education = collegeLevel(r)
		} else {
			pp.Education = schoolLevel(r)
		}
		switch n := r.IntN(100); {
		case isSecretaryRole(s.role) || s.role == post.RoleDEPUTY_SECRETARY || n < 82:
			f.joinParty(pp)
		case n < 88:
			f.probationer(pp)
		case ages[i] < 28:
			pp.Political = person.PoliticalStatusCYL_MEMBER
		default:
			pp.Political = person.PoliticalStatusMASSES
		}
		if returnee[i] {
			pp.addTag(vocab.PersonTag("RETURNEE"))
			switch {
			case isCollege(pp.Education) && r.IntN(100) < 65:
				pp.addTag("COLLEGE_GRADUATE")
			case pp.Gender == person.GenderMALE && r.IntN(100) < 55:
				pp.addTag("VETERAN")
			default:
				pp.addTag([]vocab.PersonTag{"MIGRANT_WORKER", "BUSINESS_OWNER"}[r.IntN(2)])
			}
		}
		f.commonTags(pp)
		s.p = p.add(pp)
		switch {
		case isSecretaryRole(s.role) && r.IntN(100) < 35:
			s.start = randomDay(r, date(2011, 1, 1), date(2018, 12, 31)) // re-elected
		case r.IntN(100) < 88:
			s.start = election[s.v]
		default:
			s.start = randomDay(r, date(2022, 3, 1), date(2024, 9, 30)) // 补选
		}
		p.post(&postPlan{Who: s.p, Region: v, Role: s.role, Start: s.start})
		perVillage[s.v] = append(perVillage[s.v], s)
	}

	// The pipeline: some of the 2021 newcomers were reserves before.
	trained, promoted := 0, 0
	for vi, cs := range perVillage {
		for _, c := range cs {
			if !c.start.Equal(election[vi]) || ageAt(c.p.Birth, f.asOf) < 30 {
				continue
			}
			switch {
			case isSecretaryRole(c.role) && trained < 45 && r.IntN(100) < 40:
				trained++
				p.post(&postPlan{Who: c.p, Region: villages[vi], Role: post.RoleRESERVE_CADRE,
					List: post.ReserveListSECRETARY_CANDIDATE, Start: randomDay(r, date(2016, 3, 1), date(2019, 12, 31)),
					End: election[vi].AddDate(0, 0, -1), EndReason: "换届当选村党组织书记"})
			case c.role == post.RoleCOMMITTEE_MEMBER && promoted < 60 && r.IntN(100) < 12:
				promoted++
				list := post.ReserveListCOMMITTEE_CANDIDATE
				if r.IntN(3) == 0 {
					list = post.ReserveListBACKBONE_MEMBER
				}
				p.post(&postPlan{Who: c.p, Region: villages[vi], Role: post.RoleRESERVE_CADRE,
					List: list, Start: randomDay(r, date(2017, 3, 1), date(2020, 6, 30)),
					End: election[vi].AddDate(0, 0, -1), EndReason: "换届当选村两委委员"})
			}
		}
	}

	// Reserves: tumedReserves in all, ≥ 2 a village but for tumedShort.
	counts := make([]int, len(villages))
	shortVillages := map[int]bool{}
	for _, vi := range r.Perm(len(villages))[:tumedShort] {
		shortVillages[vi] = true
		counts[vi] = 1
	}
	var rest []int
	for vi := range villages {
		if !shortVillages[vi] {
			rest = append(rest, vi)
		}
	}
	for i, c := range spread(r, tumedReserves-tumedShort, len(rest), 2, 5) {
		counts[rest[i]] = c
	}
	overlap := map[int]*cadre{}
	for _, vi := range sample(r, rest, tumedOverlap) {
		var best *cadre
		for _, c := range perVillage[vi] {
			if (c.role == post.RoleCOMMITTEE_MEMBER || c.role == post.RoleDEPUTY_SECRETARY) &&
				(best == nil || c.p.Birth.After(best.p.Birth)) {
				best = c
			}
		}
		if best == nil {
			continue
		}
		overlap[vi] = best
		p.post(&postPlan{Who: best.p, Region: villages[vi], Role: post.RoleRESERVE_CADRE,
			List: post.ReserveListSECRETARY_CANDIDATE, Start: laterOf(best.start.AddDate(0, 3, 0), randomDay(r, date(2022, 1, 1), date(2024, 6, 30)))})
	}
	reserves := make([][]*profile, len(villages))
	for vi, v := range villages {
		k := counts[vi]
		if overlap[vi] != nil {
			k--
		}
		for j := 0; j < k; j++ {
			list := post.ReserveListCOMMITTEE_CANDIDATE
			switch {
			case j == 0 && overlap[vi] == nil:
				list = post.ReserveListSECRETARY_CANDIDATE
			case r.IntN(2) == 0:
				list = post.ReserveListBACKBONE_MEMBER
			}
			rp := f.reserve(county, v, innerMongolia)
			p.add(rp)
			reserves[vi] = append(reserves[vi], rp)
			p.post(&postPlan{Who: rp, Region: v, Role: post.RoleRESERVE_CADRE, List: list,
				Start: randomDay(r, date(2021, 10, 1), date(2024, 10, 31))})
		}
	}

	// Predecessors and four-generation lineages: a retired secretary taught
	// today's secretary, who taught a committee member, who now teaches a
	// reserve.
	lineages := 0
	for vi, v := range villages {
		sec := perVillage[vi][0]
		if !sec.start.Equal(election[vi]) || r.IntN(100) >= 45 {
			continue
		}
		old := f.newPerson(county, 63+r.IntN(10), r.IntN(100) < 5, innerMongolia)
		old.HomeVillageID = v.ID
		old.Education = schoolLevel(r)
		old.rank = rankElder
		f.joinParty(old)
		old.addTag("RETIRED_CADRE")
		p.add(old)
		p.post(&postPlan{Who: old, Region: v, Role: post.RolePARTY_SECRETARY,
			Start: randomDay(r, date(2002, 1, 1), date(2014, 12, 31)),
			End:   election[vi].AddDate(0, 0, -1), EndReason: "到龄卸任", Exit: post.ExitKindTERM_ENDED})
		if lineages >= 30 || len(reserves[vi]) == 0 {
			continue
		}
		var heir *cadre
		for _, c := range perVillage[vi][1:] {
			if c.p.rank == rankCadre && c.start.Equal(election[vi]) && (heir == nil || c.p.Birth.After(heir.p.Birth)) {
				heir = c
			}
		}
		if heir == nil {
			continue
		}
		lineages++
		mentored := randomDay(r, date(2018, 3, 1), date(2019, 12, 31))
		p.mentor(old, sec.p, mentorship.ProgramTUTOR, v, mentored, election[vi].AddDate(0, 0, -1), mentorship.StatusCOMPLETED,
			"接班培养：熟悉村务、集体经济和群众工作", "2021年换届当选村党组织书记")
		s2 := election[vi].AddDate(0, 2, 0)
		p.mentor(sec.p, heir.p, mentorship.ProgramQINGLAN, v, s2, s2.AddDate(2, 0, 0), mentorship.StatusCOMPLETED,
			"青蓝结对：带项目、带群众工作", "列入村党组织书记培养对象")
		s3 := randomDay(r, date(2023, 9, 1), date(2024, 6, 30))
		p.mentor(heir.p, reserves[vi][0], mentorship.ProgramQINGLAN, v, s3, s3.AddDate(2, 0, 0), mentorship.StatusACTIVE,
			"青蓝结对：跟班学习村务管理", "")
	}

	// Everywhere else the secretary mentors one reserve; a dozen pairs are
	// past their end date and still open.
	overdue := 0
	for vi, v := range villages {
		if len(reserves[vi]) == 0 || hasMentee(p, perVillage[vi][0].p) {
			continue
		}
		mentee := reserves[vi][r.IntN(len(reserves[vi]))]
		start := randomDay(r, date(2023, 1, 1), date(2024, 10, 31))
		status := mentorship.StatusACTIVE
		end := start.AddDate(2, 0, 0)
		switch k := r.IntN(100); {
		case overdue < 12 && k < 12:
			overdue++
			start = randomDay(r, date(2022, 1, 1), date(2022, 10, 31))
			end = start.AddDate(2, 0, 0)
		case k > 85:
			start = randomDay(r, date(2021, 9, 1), date(2022, 6, 30))
			end = start.AddDate(1, 6, 0)
			status = mentorship.StatusCOMPLETED
		}
		outcome := ""
		if status == mentorship.StatusCOMPLETED {
			outcome = "完成结对培养，考核合格"
		}
		p.mentor(perVillage[vi][0].p, mentee, mentorship.ProgramQINGLAN, v, start, end, status, "青蓝结对：一对一帮带", outcome)
	}

	// x+N: in each township one secretary leads a group of young cadres and
	// reserves from the other villages.
	townships, byTownship := groupByTownship(villages)
	for _, t := range townships {
		vis := byTownship[t]
		if len(vis) < 4 {
			continue
		}
		lead := vis[r.IntN(len(vis))]
		var pool []*profile
		for _, vi := range vis {
			if vi == lead {
				continue
			}
			for _, c := range perVillage[vi] {
				if c.p.rank == rankCadre && ageAt(c.p.Birth, f.asOf) < 35 {
					pool = append(pool, c.p)
				}
			}
			pool = append(pool, reserves[vi]...)
		}
		k := min(3+r.IntN(3), len(pool))
		start := randomDay(r, date(2023, 3, 1), date(2024, 3, 31))
		for _, mentee := range sample(r, pool, k) {
			p.mentor(perVillage[lead][0].p, mentee, mentorship.ProgramX_PLUS_N, a.byID[t], start, start.AddDate(2, 0, 0),
				mentorship.StatusACTIVE, "“1+N”结对：书记带年轻干部和后备力量", "")
		}
	}
	tumedWorkCycle(p, villages, perVillage)
	tumedTraining(p, a.root, villages, perVillage)
	return nil
}

// tumedWorkCycle plans 2024's duty lists and rewards of the cadres, with a
// generator of its own so that the people and posts drawn before stay as
// they were.
func tumedWorkCycle(p *plan, villages []*place, perVillage [][]*cadre) {
	r := rand.New(rand.NewPCG(seed, 401))
	year := 2024
	tasks := map[dutyitem.Kind][]string{
		dutyitem.KindKEY:       {"推进村集体经济增收", "完成人居环境整治", "落实“三会一课”", "抓好防返贫监测", "组织春耕备耕"},
		dutyitem.KindHARD:      {"化解土地流转矛盾", "盘活闲置资产", "解决饮水安全问题", "推进移风易俗"},
		dutyitem.KindHIGHLIGHT: {"打造特色产业品牌", "创建“四好农村路”示范", "发展庭院经济"},
	}
	kinds := []dutyitem.Kind{dutyitem.KindKEY, dutyitem.KindKEY, dutyitem.KindHARD, dutyitem.KindHIGHLIGHT}
	per := spread(r, tumedDutyItems, len(villages), 6, 11)
	for vi, n := range per {
		cs := perVillage[vi]
		for k := range n {
			kind := kinds[r.IntN(len(kinds))]
			deadline := randomDay(r, date(year, 3, 31), date(year, 12, 31))
			d := &dutyPlan{Who: cs[k%len(cs)].p, Village: villages[vi], Year: year, Kind: kind,
				Task: tasks[kind][r.IntN(len(tasks[kind]))], Deadline: deadline}
			if r.IntN(100) < 85 {
				d.Done = deadline.AddDate(0, 0, r.IntN(40)-30)
				if d.Done.After(date(year, 12, 31)) {
					d.Done = date(year, 12, 31)
				}
			}
			p.duties = append(p.duties, d)
		}
	}
	// The secretaries' 述职评议 of 2023 and 2024, ranked within their
	// township by score.
	pledges := []string{"带领群众发展集体经济，年收入突破20万元", "完成村内道路硬化和路灯安装", "建成村级养殖合作社", "人居环境整治全覆盖"}
	townships, byTownship := groupByTownship(villages)
	for _, y := range []int{year - 1, year} {
		for _, t := range townships {
			vis := byTownship[t]
			scores := make([]float64, len(vis))
			for i := range vis {
				scores[i] = float64(600+r.IntN(400)) / 10
			}
			order := make([]int, len(vis))
			for i := range order {
				order[i] = i
			}
			sort.Slice(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
			for rank, i := range order {
				grade := assessment.GradeCOMPETENT
				switch {
				case scores[i] >= 90:
					grade = assessment.GradeEXCELLENT
				case scores[i] < 65:
					grade = assessment.GradeBASICALLY_COMPETENT
				}
				p.assessments = append(p.assessments, &assessmentPlan{Who: perVillage[vis[i]][0].p, Region: villages[vis[i]],
					Year: y, Grade: grade, Score: scores[i], Rank: rank + 1, Among: len(vis), Pledge: pledges[r.IntN(len(pledges))]})
			}
		}
	}

	var all []*cadre
	for _, cs := range perVillage {
		all = append(all, cs...)
	}
	rewarded := sample(r, all, tumedRewarded)
	amounts := spread(r, tumedRewardYuan/1000, tumedRewarded, 2, 8)
	for i, c := range rewarded {
		p.rewards = append(p.rewards, &rewardPlan{Who: c.p, Region: villages[c.v], Title: "年度考核优秀村干部奖励",
			Level: reward.LevelCOUNTY, Date: date(year+1, 1, 20).AddDate(0, 0, -r.IntN(20)), Amount: int64(amounts[i]) * 1000})
	}
	for i, c := range rewarded[:tumedAdvancedOnes] {
		level := reward.LevelCITY
		if i%3 == 0 {
			level = reward.LevelPROVINCE // 自治区级
		}
		p.rewards = append(p.rewards, &rewardPlan{Who: c.p, Region: villages[c.v], Title: "先进个人", Level: level,
			Date: randomDay(r, date(year, 6, 1), date(year, 12, 20))})
	}
}

// groupByTownship lists the townships of villages in order of first
// appearance, with the indexes of each one's villages.
func groupByTownship(villages []*place) ([]int, map[int][]int) {
	byTownship := map[int][]int{}
	var townships []int
	for vi, v := range villages {
		if _, ok := byTownship[v.ParentID]; !ok {
			townships = append(townships, v.ParentID)
		}
		byTownship[v.ParentID] = append(byTownship[v.ParentID], vi)
	}
	return townships, byTownship
}

func hasMentee(p *plan, mentor *profile) bool {
	for _, m := range p.mentorships {
		if m.Mentor == mentor {
			return true
		}
	}
	return false
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// probationer makes p a probationary party member admitted within the year.
func (f *factory) probationer(p *profile) {
	p.Political = person.PoliticalStatusCPC_PROBATIONARY
	p.PartyJoin = f.asOf.AddDate(0, 0, -30-f.r.IntN(300))
}

// commonTags adds the talent-group tags cadres often carry.
func (f *factory) commonTags(p *profile) {
	r := f.r
	if r.IntN(100) < 22 {
		p.addTag("RICH_LEADER")
	}
	if r.IntN(100) < 8 {
		p.addTag("COOPERATIVE_LEADER")
	}
	if r.IntN(100) < 8 {
		p.addTag("NEW_FARMER")
	}
}

// reserve draws a reserve cadre of a village: young, often educated, often
// in the party or the Youth League.
func (f *factory) reserve(county string, v *place, mix ethnicMix) *profile {
	r := f.r
	age := 22 + r.IntN(12) + r.IntN(8)
	rp := f.newPerson(county, age, r.IntN(100) < 35, mix)
	rp.HomeVillageID = v.ID
	rp.rank = rankReserve
	if r.IntN(100) < 60 {
		rp.Education = collegeLevel(r)
	} else {
		rp.Education = schoolLevel(r)
	}
	switch n := r.IntN(100); {
	case n < 45:
		f.joinParty(rp)
	case n < 60:
		f.probationer(rp)
	case n < 85 && age <= 28:
		rp.Political = person.PoliticalStatusCYL_MEMBER
	default:
		rp.Political = person.PoliticalStatusMASSES
	}
	if isCollege(rp.Education) && age < 30 && r.IntN(100) < 60 {
		rp.addTag("COLLEGE_GRADUATE")
	}
	if rp.Gender == person.GenderMALE && r.IntN(100) < 15 {
		rp.addTag("VETERAN")
	}
	if r.IntN(100) < 12 {
		rp.addTag("RICH_LEADER")
	}
	if r.IntN(100) < 10 {
		rp.addTag("NEW_FARMER")
	}
	return rp
}
