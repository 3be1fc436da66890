package demo

import (
	"fmt"
	"time"

	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/vocab"
)

// The figures of 吴忠市 as the Ningxia report gives them.
const (
	wuzhongSecretaries = 497
	wuzhongTeams       = 170 // × (first secretary + 2 members) = 510 resident cadres
	wuzhongRichLeaders = 272 // 致富带头人 54.7% of 497
	wuzhongOver60      = 18
	wuzhongAdjusted    = 146 // 调整不适应不胜任村党组织书记
	wuzhongMentors     = 30  // 导师帮带制 pilot
	// The term comparison of the 2021 换届 against 2018's: 290 secretaries
	// re-elected (连任), the other 207 new; the average age at election 1.5
	// years lower, 大专及以上 25 percentage points and 一肩挑 34.6 points
	// higher; 12 of the 2021-day secretaries' later degrees (学历提升)
	// come after the election.
	wuzhongRetained        = 290
	wuzhongAgeDrop         = -1.5
	wuzhongCollegeRise     = 0.25
	wuzhongOneShoulderRise = 0.346
	wuzhongLateDegrees     = 12
	wuzhongDegreeNote      = "学历提升：取得大专学历（国家开放大学）"
)

// Sending units of resident cadres by dispatch level; 自治区 units count as
// provincial.
var (
	provinceUnits = []struct {
		name string
		kind institution.Kind
	}{
		{"宁夏回族自治区农业农村厅", institution.KindGOVERNMENT},
		{"宁夏回族自治区财政厅", institution.KindGOVERNMENT},
		{"宁夏回族自治区交通运输厅", institution.KindGOVERNMENT},
		{"宁夏回族自治区卫生健康委员会", institution.KindGOVERNMENT},
		{"宁夏大学", institution.KindUNIVERSITY},
		{"宁夏回族自治区人民医院", institution.KindHOSPITAL},
		{"国网宁夏电力有限公司", institution.KindENTERPRISE},
	}
	cityUnits = []struct {
		name string
		kind institution.Kind
	}{
		{"吴忠市委组织部", institution.KindGOVERNMENT},
		{"吴忠市农业农村局", institution.KindGOVERNMENT},
		{"吴忠市教育局", institution.KindGOVERNMENT},
		{"吴忠市财政局", institution.KindGOVERNMENT},
		{"吴忠市自然资源局", institution.KindGOVERNMENT},
		{"吴忠市人民医院", institution.KindHOSPITAL},
	}
	countyUnitSuffixes = []string{"委组织部", "农业农村局", "人民医院", "发展和改革局", "乡村振兴局"}
)

func buildWuzhong(p *plan, a *area, f *factory) error {
	if err := a.need(wuzhongSecretaries); err != nil {
		return err
	}
	r := f.r
	asOf := f.asOf
	secs := planWuzhongTerms(p, a, f)
	// 导师帮带: veteran secretaries each guide one or two newcomers of their
	// county.
	var veterans, newcomers []*wuzhongSeat
	for _, s := range secs {
		switch {
		case !s.new && ageAt(s.p.Birth, asOf) >= 45 && len(veterans) < wuzhongMentors:
			veterans = append(veterans, s)
		case s.new:
			newcomers = append(newcomers, s)
		}
	}
	taken := map[*wuzhongSeat]bool{}
	for _, vet := range veterans {
		vet.p.rank = rankElder
		k := 1 + r.IntN(2)
		for _, nc := range newcomers {
			if k == 0 {
				break
			}
			if taken[nc] || nc.county != vet.county {
				continue
			}
			taken[nc] = true
			k--
			if r.IntN(100) < 60 {
				start := randomDay(r, date(2021, 6, 1), date(2021, 12, 31))
				p.mentor(vet.p, nc.p, mentorship.ProgramTUTOR, nc.v, start, start.AddDate(2, 0, 0), mentorship.StatusCOMPLETED,
					"导师帮带：新任村书记履职能力提升", "完成帮带，履职考核称职")
			} else {
				start := randomDay(r, date(2023, 6, 1), date(2024, 6, 30))
				p.mentor(vet.p, nc.p, mentorship.ProgramTUTOR, nc.v, start, start.AddDate(2, 0, 0), mentorship.StatusACTIVE,
					"导师帮带：发展村集体经济", "")
			}
		}
	}

	// 510 resident cadres: 170 teams in key villages, grouped into 片区 of
	// about three townships.
	senders := map[string]*institutionPlan{}
	sender := func(name string, kind institution.Kind, regionCode string) *institutionPlan {
		if in, ok := senders[name]; ok {
			return in
		}
		in := p.institution(name, kind, regionCode)
		senders[name] = in
		return in
	}
	townshipIndex := map[int]int{}
	counters := map[int]int{}
	for _, t := range a.townships {
		c := a.county(t)
		townshipIndex[t.ID] = counters[c.ID]
		counters[c.ID]++
	}
	for _, v := range sample(r, a.villages, wuzhongTeams) {
		county := a.county(v)
		var (
			level  post.DispatchLevel
			unit   string
			in     *institutionPlan
			idCode string
		)
		switch k := r.IntN(100); {
		case k < 30:
			u := provinceUnits[r.IntN(len(provinceUnits))]
			level, unit, in, idCode = post.DispatchLevelPROVINCE, u.name, sender(u.name, u.kind, "640104"), []string{"640104", "640105", "640106"}[r.IntN(3)]
		case k < 75:
			u := cityUnits[r.IntN(len(cityUnits))]
			level, unit, in, idCode = post.DispatchLevelCITY, u.name, sender(u.name, u.kind, "640302"), "640302"
		default:
			level, unit, idCode = post.DispatchLevelCOUNTY, county.Name+countyUnitSuffixes[r.IntN(len(countyUnitSuffixes))], county.Code
		}
		cluster := fmt.Sprintf("%s第%d片区", shortName(county.Name), townshipIndex[v.ParentID]/3+1)
		start := randomDay(r, date(2021, 9, 1), date(2021, 9, 30))
		if r.IntN(100) < 40 {
			start = randomDay(r, date(2023, 8, 1), date(2023, 10, 31))
		}
		for j := 0; j < 3; j++ {
			age := 26 + r.IntN(12) + r.IntN(14)
			if j == 0 {
				age = 30 + r.IntN(10) + r.IntN(12)
			}
			rc := f.newPerson(idCode, age, r.IntN(100) < 22, ningxia)
			rc.rank = rankOutsider
			switch k := r.IntN(100); {
			case k < 70:
				rc.Education = person.EducationBACHELOR
			case k < 90:
				rc.Education = person.EducationMASTER
			default:
				rc.Education = person.EducationJUNIOR_COLLEGE
			}
			if j == 0 || r.IntN(100) < 88 {
				f.joinParty(rc)
			} else {
				rc.Political = person.PoliticalStatusCYL_MEMBER
			}
			if age < 30 && r.IntN(100) < 45 {
				rc.addTag("SELECTED_GRADUATE")
			}
			if in != nil {
				rc.institution = in
			}
			p.add(rc)
			role := post.RoleWORK_TEAM_MEMBER
			if j == 0 {
				role = post.RoleFIRST_SECRETARY
			}
			p.post(&postPlan{Who: rc, Region: v, Role: role, Dispatch: level, Unit: unit, Sender: in, Cluster: cluster, Start: start})
		}
	}
	return nil
}

// buildWeixian gives every fourth village of 魏县 a team, two reserves
// (每个村储备本地人才作为村主职后备) and 青蓝结对, with three-generation
// lineages in every tenth.
func buildWeixian(p *plan, a *area, f *factory) error {
	if err := a.need(4); err != nil {
		return err
	}
	r := f.r
	county := a.root.Code
	p.elections(a.root, date(2018, time.January, 25), weixianElection2021)
	var teams []*weixianTeam
	for i, v := range a.villages {
		if i%4 != 0 {
			continue
		}
		_ = randomDay(r, date(2021, 1, 10), date(2021, 3, 31)) // kept: the draws after it stay as they were
		election := weixianElection2021
		t := buildTeam(p, f, county, v, 2, 60, hebei, election)
		if r.IntN(100) < 12 {
			t.secretary.addTag("RETURNEE") // 雁归工程
		}
		var res []*profile
		for j, list := range []post.ReserveList{post.ReserveListSECRETARY_CANDIDATE, post.ReserveListBACKBONE_MEMBER} {
			rp := p.add(f.reserve(county, v, hebei))
			if j == 1 {
				rp.addTag("RICH_LEADER") // 把致富带头人培养成党员
			}
			res = append(res, rp)
			p.post(&postPlan{Who: rp, Region: v, Role: post.RoleRESERVE_CADRE, List: list, Start: randomDay(r, date(2021, 6, 1), date(2024, 10, 31))})
		}
		teams = append(teams, &weixianTeam{team: t, reserves: res})
		start := randomDay(r, date(2022, 1, 1), date(2024, 9, 30))
		p.mentor(t.secretary, res[0], mentorship.ProgramQINGLAN, v, start, start.AddDate(2, 0, 0), mentorship.StatusACTIVE, "青蓝结对：村主职后备培养", "")
		if i%40 == 0 {
			s1 := election.AddDate(0, 3, 0)
			p.mentor(t.secretary, t.members[0], mentorship.ProgramQINGLAN, v, s1, s1.AddDate(2, 0, 0), mentorship.StatusCOMPLETED, "青蓝结对", "能独立负责村务")
			s2 := randomDay(r, date(2023, 9, 1), date(2024, 9, 30))
			p.mentor(t.members[0], res[1], mentorship.ProgramQINGLAN, v, s2, s2.AddDate(2, 0, 0), mentorship.StatusACTIVE, "青蓝结对：骨干党员培养", "")
		}
	}
	weixianTraining(p, a.root, teams)
	weixianAudits(p, teams)
	return nil
}

// baodingFields are the fields of the 保定 demands: 樱桃, 肉牛, 高产小麦, and
// the mountain counties' fungi and herbs.
var baodingFields = []vocab.AgriculturalField{
	"FRUIT_TREES", "LIVESTOCK_POULTRY", "FIELD_CROPS", "VEGETABLES", "EDIBLE_FUNGI", "MEDICINAL_HERBS", "SMART_AGRICULTURE",
}

// buildBaoding gives 150 villages of 保定 a secretary, a committee member and
// a reserve, and brings 16 农业科技特派员 with demands, service and 师带徒
// apprentices.
func buildBaoding(p *plan, a *area, f *factory) error {
	if err := a.need(150); err != nil {
		return err
	}
	r := f.r
	countyIndex := map[int]int{}
	for i, c := range a.counties {
		countyIndex[c.ID] = i
	}
	elected := map[int]bool{}
	for _, v := range sample(r, a.villages, 150) {
		c := a.county(v)
		county := c.Code
		d18, d21 := date(2018, 1, 12).AddDate(0, 0, 2*countyIndex[c.ID]), date(2021, 1, 15).AddDate(0, 0, 2*countyIndex[c.ID])
		if !elected[c.ID] {
			elected[c.ID] = true
			p.elections(c, d18, d21)
		}
		_ = randomDay(r, date(2021, 1, 10), date(2021, 3, 31)) // kept: the draws after it stay as they were
		t := buildTeam(p, f, county, v, 1, 70, hebei, d21)
		rp := p.add(f.reserve(county, v, hebei))
		p.post(&postPlan{Who: rp, Region: v, Role: post.RoleRESERVE_CADRE, List: post.ReserveListSECRETARY_CANDIDATE,
			Start: randomDay(r, date(2021, 6, 1), date(2024, 10, 31))})
		start := randomDay(r, date(2022, 1, 1), date(2024, 9, 30))
		p.mentor(t.secretary, rp, mentorship.ProgramQINGLAN, v, start, start.AddDate(2, 0, 0), mentorship.StatusACTIVE, "青蓝结对", "")
	}
	partners := []struct {
		name   string
		kind   institution.Kind
		county string
		n      int
	}{
		{"河北农业大学", institution.KindUNIVERSITY, "130606", 6},
		{"中国农业大学", institution.KindUNIVERSITY, "110108", 5},
		{"河北省农林科学院", institution.KindRESEARCH_INSTITUTE, "130102", 5},
	}
	var experts []*profile
	for _, pt := range partners {
		in := p.institution(pt.name, pt.kind, pt.county)
		for i := 0; i < pt.n; i++ {
			experts = append(experts, p.add(f.expert(in, pt.county, baodingFields[r.IntN(len(baodingFields))])))
		}
	}
	first := len(p.assignments)
	buildMatching(p, a, f, experts, 10, 2, 6, 3, 2, 50_000)
	// 师带徒: each expert trains a new farmer or two where they serve.
	for _, as := range p.assignments[first:] {
		for k := 1 + r.IntN(2); k > 0; k-- {
			v := villageOf(a, r, as.Region)
			nf := f.newPerson(a.county(v).Code, 22+r.IntN(20), r.IntN(100) < 30, hebei)
			nf.HomeVillageID = v.ID
			nf.rank = rankReserve
			nf.Education = schoolLevel(r)
			nf.Political = person.PoliticalStatusMASSES
			nf.addTag("NEW_FARMER")
			p.add(nf)
			start := randomDay(r, as.Start.AddDate(0, 1, 0), f.asOf.AddDate(0, -1, 0))
			status, outcome := mentorship.StatusACTIVE, ""
			if start.AddDate(1, 0, 0).Before(f.asOf) && r.IntN(2) == 0 {
				status, outcome = mentorship.StatusCOMPLETED, "掌握种养关键技术，成为示范户"
			}
			p.mentor(as.Expert, nf, mentorship.ProgramAPPRENTICESHIP, v, start, start.AddDate(1, 0, 0), status, "师带徒：培养本地新农人", outcome)
		}
	}
	return nil
}
