package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/servicerecord"
	"yanzhen/vocab"
)

// The figures of 沙市区 as the 2024-08-22 荆州日报 report gives them.
const (
	shashiHonorary      = 42
	shashiAdvisers      = 96
	shashiOverdue       = 8 // appointments whose last contact is over 30 days old
	shashiExperts       = 20
	shashiLeads         = 17         // 招商引资有效信息
	shashiVisits        = 13         // 招商考察
	shashiProjects      = 4          // 项目进村
	shashiFundsYuan     = 10_300_000 // 1030万元资金到村
	shashiReserves      = 99         // 公开选聘村级后备干部
	shashiPromoted      = 25         // 进入村两委班子
	shashiStalled       = 3          // experts without service for over 90 days
	shashiMatched       = 14
	shashiDone          = 3 // of the matched
	shashiOpen          = 12
	shashiOpenLong      = 7 // open for over 60 days
	shashiCommitteeSize = 2 // members besides the secretary, before promotions
	shashiShadowing     = 5 // 累计跟班培养5名社区党组织书记 (seed 001)
)

// shashiElection2021 is 沙市区's 2021 换届 day.
var shashiElection2021 = date(2021, time.January, 22)

// A village team as the lighter areas have it: a secretary and a few
// committee members.
type team struct {
	village   *place
	secretary *profile
	members   []*profile
}

// buildTeam writes a village's secretary (一肩挑 with the given chance) and
// members, all taking office on start.
func buildTeam(p *plan, f *factory, county string, v *place, members int, yijiantiao int, mix ethnicMix, start time.Time) *team {
	r := f.r
	t := &team{village: v}
	sec := f.newPerson(county, 32+r.IntN(14)+r.IntN(12), r.IntN(100) < 12, mix)
	sec.HomeVillageID = v.ID
	sec.rank = rankSecretary
	if r.IntN(100) < 45 {
		sec.Education = collegeLevel(r)
	} else {
		sec.Education = schoolLevel(r)
	}
	f.joinParty(sec)
	f.commonTags(sec)
	t.secretary = p.add(sec)
	role := post.RolePARTY_SECRETARY
	if r.IntN(100) < yijiantiao {
		role = post.RoleSECRETARY_AND_DIRECTOR
	}
	p.post(&postPlan{Who: sec, Region: v, Role: role, Start: start})
	for i := 0; i < members; i++ {
		m := f.newPerson(county, 26+r.IntN(14)+r.IntN(14), r.IntN(100) < 35, mix)
		m.HomeVillageID = v.ID
		m.rank = rankCadre
		if r.IntN(100) < 40 {
			m.Education = collegeLevel(r)
		} else {
			m.Education = schoolLevel(r)
		}
		if r.IntN(100) < 85 {
			f.joinParty(m)
		} else {
			m.Political = person.PoliticalStatusMASSES
		}
		f.commonTags(m)
		t.members = append(t.members, p.add(m))
		mr := post.RoleCOMMITTEE_MEMBER
		if i == 0 && role == post.RolePARTY_SECRETARY {
			mr = post.RoleCOMMITTEE_DIRECTOR
		}
		p.post(&postPlan{Who: m, Region: v, Role: mr, Start: start})
	}
	return t
}

// contactNotes are what a secretary writes after contacting an adviser.
var contactNotes = map[contactlog.Mode][]string{
	contactlog.ModePHONE:            {"电话沟通村集体经济发展思路", "电话通报村里近期重点工作", "电话征求对产业项目的意见", "电话联系，了解其在外企业近况"},
	contactlog.ModeVISIT:            {"上门走访，介绍村里近况", "走访其在村亲属，帮助解决实际困难", "陪同回村考察土地流转地块"},
	contactlog.ModeTALK:             {"召开恳谈会，听取乡村振兴意见建议", "定期恳谈：谋划村级产业项目"},
	contactlog.ModeHOLIDAY_GREETING: {"春节问候，寄送家乡年货", "中秋问候，邀请回村座谈"},
	contactlog.ModeVIDEO:            {"视频连线，介绍项目进展", "视频会议对接招商信息"},
}

func pickMode(r *rand.Rand, day time.Time) contactlog.Mode {
	if (day.Month() == time.February || day.Month() == time.September) && r.IntN(2) == 0 {
		return contactlog.ModeHOLIDAY_GREETING
	}
	switch n := r.IntN(100); {
	case n < 45:
		return contactlog.ModePHONE
	case n < 70:
		return contactlog.ModeVISIT
	case n < 85:
		return contactlog.ModeTALK
	default:
		return contactlog.ModeVIDEO
	}
}

// shashiFields are the fields the 沙市 demands and experts cover: rice and
// crayfish (稻虾), vegetables, fruit, greenhouses, processing, e-commerce.
var shashiFields = []vocab.AgriculturalField{
	"AQUACULTURE", "FIELD_CROPS", "VEGETABLES", "FRUIT_TREES", "PROTECTED_AGRICULTURE",
	"FOOD_PROCESSING", "E_COMMERCE", "LEISURE_AGRICULTURE", "PLANT_PROTECTION", "SOIL_FERTILIZER",
}

// demandTexts describe a need in one field; %s is the place.
var demandTexts = map[vocab.AgriculturalField]string{
	"AQUACULTURE":            "%s稻虾综合种养技术指导",
	"FIELD_CROPS":            "%s优质稻高产栽培技术",
	"VEGETABLES":             "%s蔬菜基地品种改良与病虫害防治",
	"FRUIT_TREES":            "%s果园提质增效技术",
	"PROTECTED_AGRICULTURE":  "%s大棚设施改造与环境调控",
	"FOOD_PROCESSING":        "%s农产品初加工与品牌包装",
	"E_COMMERCE":             "%s农产品直播带货与网店运营",
	"LEISURE_AGRICULTURE":    "%s乡村旅游与休闲农业规划",
	"PLANT_PROTECTION":       "%s绿色防控与统防统治",
	"SOIL_FERTILIZER":        "%s测土配方施肥",
	"LIVESTOCK_POULTRY":      "%s肉牛规模养殖与疫病防控",
	"MEDICINAL_HERBS":        "%s中药材规范化种植",
	"EDIBLE_FUNGI":           "%s食用菌栽培技术",
	"SMART_AGRICULTURE":      "%s智慧农业物联网应用",
	"AGRICULTURAL_MACHINERY": "%s农机社会化服务",
}

var titles = map[institution.Kind][]string{
	institution.KindUNIVERSITY:         {"教授", "副教授", "副教授", "讲师"},
	institution.KindRESEARCH_INSTITUTE: {"研究员", "副研究员", "副研究员", "助理研究员"},
}

// expert draws a scientist of a partner institution with the given fields.
func (f *factory) expert(in *institutionPlan, county string, fields ...vocab.AgriculturalField) *profile {
	r := f.r
	e := f.newPerson(county, 30+r.IntN(15)+r.IntN(14), r.IntN(100) < 30, nil)
	e.rank = rankElder
	e.institution = in
	if r.IntN(100) < 65 {
		e.Education = person.EducationDOCTORATE
	} else {
		e.Education = person.EducationMASTER
	}
	if r.IntN(100) < 70 {
		f.joinParty(e)
	} else {
		e.Political = person.PoliticalStatusMASSES
	}
	ts := titles[in.Kind]
	e.Title = ts[r.IntN(len(ts))]
	e.Expertise = fields
	return e
}

// serve writes an assignment's service records from its start to the as-of
// day, or to stall days before it.
func serve(p *plan, r *rand.Rand, a *assignmentPlan, asOf time.Time, stall int) {
	last := asOf.AddDate(0, 0, -stall)
	day := a.Start.AddDate(0, 0, 3+r.IntN(20))
	first := true
	for !day.After(last) {
		kind := servicerecord.KindGUIDANCE
		n := 5 + r.IntN(40)
		note := "田间技术指导"
		switch k := r.IntN(100); {
		case first:
			kind, n, note = servicerecord.KindSURVEY, r.IntN(8), "实地调研，摸清产业需求"
		case k < 25:
			kind, n, note = servicerecord.KindTRAINING, 20+r.IntN(120), "举办技术培训班"
		case k < 35:
			kind, n, note = servicerecord.KindDOCTOR_FARM, 10+r.IntN(40), "博士农场示范观摩"
		case k < 42:
			kind, n, note = servicerecord.KindOTHER, r.IntN(15), "线上答疑"
		}
		p.services = append(p.services, &servicePlan{Assignment: a, Date: day, Kind: kind, Beneficiaries: n, Notes: note})
		first = false
		day = day.AddDate(0, 0, 20+r.IntN(30))
	}
	if len(p.services) == 0 || p.services[len(p.services)-1].Assignment != a {
		// Even a stalled expert went once.
		p.services = append(p.services, &servicePlan{Assignment: a, Date: minTime(a.Start.AddDate(0, 0, 7), last),
			Kind: servicerecord.KindSURVEY, Beneficiaries: 3, Notes: "实地调研，摸清产业需求"})
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func buildShashi(p *plan, a *area, f *factory) error {
	if err := a.need(shashiHonorary); err != nil {
		return err
	}
	r := f.r
	county := a.root.Code
	villages := a.villages
	asOf := f.asOf

	// Teams, elected in the 2021 Hubei 换届.
	p.elections(a.root, date(2018, time.November, 28), shashiElection2021)
	teams := make([]*team, len(villages))
	for i, v := range villages {
		_ = randomDay(r, date(2021, 1, 5), date(2021, 2, 10)) // kept: the draws after it stay as they were
		teams[i] = buildTeam(p, f, county, v, shashiCommitteeSize, 85, hubei, shashiElection2021)
	}

	// 99 reserves over time; 25 have since entered the committees.
	for i := 0; i < shashiReserves; i++ {
		vi := i % len(villages)
		if i >= len(villages) {
			vi = r.IntN(len(villages))
		}
		v := villages[vi]
		rp := p.add(f.reserve(county, v, hubei))
		start := randomDay(r, date(2021, 6, 1), date(2024, 6, 30))
		list := []post.ReserveList{post.ReserveListSECRETARY_CANDIDATE, post.ReserveListCOMMITTEE_CANDIDATE, post.ReserveListBACKBONE_MEMBER}[r.IntN(3)]
		if i < shashiPromoted {
			start = randomDay(r, date(2021, 3, 1), date(2022, 6, 30))
			entered := start.AddDate(1, r.IntN(12), r.IntN(28))
			p.post(&postPlan{Who: rp, Region: v, Role: post.RoleRESERVE_CADRE, List: list, Start: start,
				End: entered.AddDate(0, 0, -1), EndReason: "进入村两委班子"})
			p.post(&postPlan{Who: rp, Region: v, Role: post.RoleCOMMITTEE_MEMBER, Start: entered})
			rp.rank = rankCadre
			teams[vi].members = append(teams[vi].members, rp)
			continue
		}
		p.post(&postPlan{Who: rp, Region: v, Role: post.RoleRESERVE_CADRE, List: list, Start: start})
		// 传帮带: the village secretary follows each current reserve.
		ms := start.AddDate(0, 1, 0)
		p.mentor(teams[vi].secretary, rp, mentorship.ProgramTUTOR, v, ms, ms.AddDate(2, 0, 0), mentorship.StatusACTIVE,
			"“传帮带”联系培养", "")
	}

	// 名师工作室: three veteran secretaries had five younger ones shadow them.
	masters := sample(r, teams, 8)
	for i := 0; i < 3; i++ {
		masters[i].secretary.rank = rankElder
	}
	for i := 3; i < 8; i++ {
		start := randomDay(r, date(2022, 3, 1), date(2023, 3, 1))
		p.mentor(masters[i%3].secretary, masters[i].secretary, mentorship.ProgramSHADOWING, masters[i%3].village,
			start, start.AddDate(0, 6, 0), mentorship.StatusCOMPLETED, "跟班学习：名师工作室", "完成跟班学习")
	}
	shashiTraining(p, a.root, teams, masters[3:8])

	// 一村一名荣誉书记, 一村多名发展顾问.
	ceremony := date(2023, time.April, 18)
	second := date(2024, time.March, 15)
	var apps []*appointmentPlan
	honorary := sample(r, villages, shashiHonorary)
	advisersPer := spread(r, shashiAdvisers, len(villages), 1, 2)
	n := 0
	appoint := func(v *place, kind adviserappointment.Kind, start time.Time) {
		n++
		adv := f.newPerson(county, 42+r.IntN(16)+r.IntN(14), r.IntN(100) < 15, hubei)
		adv.HomeVillageID = v.ID
		adv.rank = rankOutsider
		if r.IntN(100) < 60 {
			adv.Education = collegeLevel(r)
		} else {
			adv.Education = schoolLevel(r)
		}
		if r.IntN(100) < 70 {
			f.joinParty(adv)
		} else {
			adv.Political = person.PoliticalStatusMASSES
		}
		switch k := r.IntN(100); {
		case k < 50:
			adv.addTag("BUSINESS_OWNER")
			adv.Title = []string{"高级经济师", "经济师", ""}[r.IntN(3)]
		case k < 80:
			adv.addTag("RETIRED_CADRE")
		default:
			adv.addTag("RICH_LEADER")
		}
		p.add(adv)
		ap := &appointmentPlan{ExternalID: p.extID("A"), Who: adv, Village: v, Kind: kind, Start: start,
			Certificate: fmt.Sprintf("沙聘〔%d〕%03d号", start.Year(), n)}
		p.appointments = append(p.appointments, ap)
		apps = append(apps, ap)
	}
	for _, v := range honorary {
		appoint(v, adviserappointment.KindHONORARY_SECRETARY, ceremony)
	}
	for vi, v := range villages {
		for j := 0; j < advisersPer[vi]; j++ {
			start := ceremony
			if r.IntN(100) < 27 {
				start = second
			}
			appoint(v, adviserappointment.KindDEVELOPMENT_ADVISER, start)
		}
	}

	// Monthly contacts over the last year; a few lapsed on purpose.
	teamOf := map[int]*team{}
	for _, t := range teams {
		teamOf[t.village.ID] = t
	}
	overdue := map[int]bool{}
	for _, i := range r.Perm(len(apps))[:shashiOverdue] {
		overdue[i] = true
	}
	for i, ap := range apps {
		t := teamOf[ap.Village.ID]
		from := laterOf(ap.Start.AddDate(0, 0, 7), asOf.AddDate(-1, 0, 1))
		until := asOf
		if overdue[i] {
			until = asOf.AddDate(0, 0, -(45 + r.IntN(100)))
		}
		for m := date(from.Year(), from.Month(), 1); !m.After(until); m = m.AddDate(0, 1, 0) {
			day := m.AddDate(0, 0, r.IntN(28))
			if m.Year() == until.Year() && m.Month() == until.Month() {
				// The month of the cut-off: a contact at most 25 days before it.
				day = until.AddDate(0, 0, -r.IntN(min(26, until.Day())))
			}
			if day.Before(from) || day.After(until) {
				continue
			}
			by := t.secretary
			if r.IntN(100) >= 70 && len(t.members) > 0 {
				by = t.members[r.IntN(len(t.members))]
			}
			mode := pickMode(r, day)
			notes := contactNotes[mode]
			p.contacts = append(p.contacts, &contactPlan{Appointment: ap, Date: day, Mode: mode, By: by, Notes: notes[r.IntN(len(notes))]})
		}
	}

	// What the advisers brought: 17 leads, 13 visits, 4 projects, 1030万元.
	credit := func(kind contribution.Kind, amount int64, text string) {
		ap := apps[r.IntN(len(apps))]
		p.contributions = append(p.contributions, &contributionPlan{ExternalID: p.extID("C"), Kind: kind, Amount: amount,
			Date: randomDay(r, laterOf(ap.Start, date(2023, 5, 1)), date(2024, 8, 15)), Text: text, Village: ap.Village, Appointment: ap})
	}
	leads := []string{"提供农产品加工企业投资意向", "推介电商企业到村设点", "提供乡村旅游项目招商信息", "牵线光伏企业屋顶租赁", "介绍冷链物流企业合作意向"}
	for i := 0; i < shashiLeads; i++ {
		credit(contribution.KindINVESTMENT_LEAD, 0, leads[i%len(leads)])
	}
	for i := 0; i < shashiVisits; i++ {
		credit(contribution.KindSITE_VISIT, 0, "陪同企业来村考察")
	}
	projects := []string{"稻虾共作产业园项目落地", "农产品冷链仓储项目落地", "乡村民宿项目落地", "蔬菜净菜加工厂项目落地"}
	for i := 0; i < shashiProjects; i++ {
		credit(contribution.KindPROJECT_LANDED, 0, projects[i%len(projects)])
	}
	for _, amount := range []int64{3_000_000, 2_500_000, 1_800_000, 1_500_000, 1_000_000, 500_000} {
		credit(contribution.KindFUNDS, amount, "协调资金到村")
	}

	// 科技特派员 from the partner universities and institutes.
	partners := []struct {
		in     *institutionPlan
		county string
		n      int
	}{
		{p.institution("长江大学", institution.KindUNIVERSITY, "421003"), "421003", 8},
		{p.institution("华中农业大学", institution.KindUNIVERSITY, "420111"), "420111", 6},
		{p.institution("湖北省农业科学院", institution.KindRESEARCH_INSTITUTE, "420111"), "420111", 3},
		{p.institution("荆州市农业科学院", institution.KindRESEARCH_INSTITUTE, "421003"), "421003", 3},
	}
	var experts []*profile
	for _, pt := range partners {
		for i := 0; i < pt.n; i++ {
			f1 := shashiFields[r.IntN(len(shashiFields))]
			f2 := shashiFields[r.IntN(len(shashiFields))]
			fields := []vocab.AgriculturalField{f1}
			if f2 != f1 {
				fields = append(fields, f2)
			}
			experts = append(experts, p.add(f.expert(pt.in, pt.county, fields...)))
		}
	}
	buildMatching(p, a, f, experts, shashiMatched, shashiDone, shashiOpen, shashiOpenLong, shashiStalled, 20_000)

	// And a few results of their own, credited to their assignments.
	for i, as := range p.assignments[len(p.assignments)-len(experts):] {
		if i%4 != 0 {
			continue
		}
		kind, amount, text := contribution.KindPROJECT_LANDED, int64(0), "技术成果转化项目落地"
		if i%8 == 0 {
			kind, amount, text = contribution.KindFUNDS, int64(200_000+r.IntN(6)*100_000), "争取科技项目资金到村"
		}
		p.contributions = append(p.contributions, &contributionPlan{ExternalID: p.extID("C"), Kind: kind, Amount: amount,
			Date: randomDay(r, as.Start.AddDate(0, 2, 0), asOf.AddDate(0, -1, 0)), Text: text, Village: villageOf(a, r, as.Region), Assignment: as})
	}
	return nil
}

// villageOf is the region itself when it is a village, else one of its
// villages.
func villageOf(a *area, r *rand.Rand, pl *place) *place {
	if vs := a.villagesOf[pl.ID]; len(vs) > 0 {
		return vs[r.IntN(len(vs))]
	}
	if pl.Level == region.LevelVILLAGE {
		return pl
	}
	return a.villages[r.IntN(len(a.villages))]
}

// buildMatching writes demands of an area and assigns the experts: the
// first matched ones to a demand each (两单合一: the assignment goes where the
// demand is, in its field), the rest to a township; then the open demands
// nobody has taken up yet, and every assignment's service records.
func buildMatching(p *plan, a *area, f *factory, experts []*profile, matched, done, open, openLong, stalled int, subsidy int64) {
	r := f.r
	asOf := f.asOf
	var list []*assignmentPlan
	// Experts serve rural townships, not urban 街道 of communities only.
	var rural []*place
	for _, t := range a.townships {
		if len(a.villagesOf[t.ID]) > 0 {
			rural = append(rural, t)
		}
	}
	where := func() *place {
		if r.IntN(2) == 0 && len(rural) > 0 {
			return rural[r.IntN(len(rural))]
		}
		return a.villages[r.IntN(len(a.villages))]
	}
	newDemand := func(pl *place, field vocab.AgriculturalField, raised time.Time, status demand.Status) *demandPlan {
		text, ok := demandTexts[field]
		if !ok {
			text = "%s产业技术需求"
		}
		d := &demandPlan{ExternalID: p.extID("D"), Region: pl, Field: field, Text: fmt.Sprintf(text, pl.Name),
			Status: status, Raised: raised}
		p.demands = append(p.demands, d)
		return d
	}
	for i, e := range experts {
		pl := where()
		start := randomDay(r, date(2023, 3, 1), date(2024, 3, 31))
		as := &assignmentPlan{ExternalID: p.extID("E"), Expert: e, Region: pl, Fields: e.Expertise,
			Signed: r.IntN(100) < 80, Subsidy: subsidy, Start: start}
		if i < matched {
			field := e.Expertise[0]
			status := demand.StatusMATCHED
			d := newDemand(pl, field, start.AddDate(0, -1-r.IntN(3), -r.IntN(20)), status)
			if i < done {
				d.Status = demand.StatusDONE
				d.Closed = randomDay(r, start.AddDate(0, 6, 0), asOf.AddDate(0, -1, 0))
			}
			as.Demand = d
		}
		p.assignments = append(p.assignments, as)
		list = append(list, as)
	}
	for i := 0; i < open; i++ {
		field := shashiFieldsFor(a)[r.IntN(len(shashiFieldsFor(a)))]
		raised := randomDay(r, asOf.AddDate(0, 0, -55), asOf.AddDate(0, 0, -5))
		if i < openLong {
			raised = randomDay(r, asOf.AddDate(0, -10, 0), asOf.AddDate(0, 0, -65))
		}
		newDemand(where(), field, raised, demand.StatusOPEN)
	}
	stalledSet := map[int]bool{}
	for _, i := range r.Perm(len(list))[:stalled] {
		stalledSet[i] = true
	}
	for i, as := range list {
		stall := 0
		if stalledSet[i] {
			stall = 95 + r.IntN(90)
		}
		serve(p, r, as, asOf, stall)
	}
}

// shashiFieldsFor are the fields an area's demands come in.
func shashiFieldsFor(a *area) []vocab.AgriculturalField {
	if a.root.Code == Baoding {
		return baodingFields
	}
	return shashiFields
}
