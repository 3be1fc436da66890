package insight_test

import (
	"context"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/vocab"
)

// asOf is the date the fixture's answers were worked out for.
var asOf = date("2024-06-30")

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is a small talent graph whose figures were counted by hand (see
// the comments on each test). Regions:
//
//	15 内蒙古 › 1502 包头 › 150221 土右旗 › 150221100 萨拉齐镇 (T1) › V1 三道河村, V2 萨拉齐社区 (community)
//	                                    › 150221101 双龙镇 (T2)   › V3 双龙村, V4 新营村
//	                     › 150203 昆都仑区 (U1's seat)
//	                     › 150222 固阳县 › 150222100 金山镇 (no villages)
//	11 北京 › 1101 › 110108 海淀区 (U2's seat)
type fixture struct {
	county, t1, t2, v1, v2, v3, v4, empty *ent.Region
	// People, in creation order (IDs ascending).
	a, b, c, d, e, f, g, h, i, j, k, l, m, x1, x2, x3, x4, x5 *ent.Person
	u1, u2, u3                                                *ent.Institution
	ms1, ms2, ms3, ms4, ms5                                   *ent.Mentorship
	apJ, apK                                                  *ent.AdviserAppointment
	asX1, asX5                                                *ent.ExpertAssignment
	d1, d2, d3, d4                                            *ent.Demand
}

func build(t *testing.T, db *dbtest.DB) *fixture {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	f := &fixture{}
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
	p15 := reg("15", "内蒙古自治区", region.LevelPROVINCE, nil, "")
	c1502 := reg("1502", "包头市", region.LevelCITY, p15, "")
	f.county = reg("150221", "土默特右旗", region.LevelCOUNTY, c1502, "")
	f.t1 = reg("150221100", "萨拉齐镇", region.LevelTOWNSHIP, f.county, "")
	f.t2 = reg("150221101", "双龙镇", region.LevelTOWNSHIP, f.county, "")
	f.v1 = reg("150221100201", "三道河村", region.LevelVILLAGE, f.t1, region.KindVILLAGE)
	f.v2 = reg("150221100202", "萨拉齐社区", region.LevelVILLAGE, f.t1, region.KindCOMMUNITY)
	f.v3 = reg("150221101201", "双龙村", region.LevelVILLAGE, f.t2, region.KindVILLAGE)
	f.v4 = reg("150221101202", "新营村", region.LevelVILLAGE, f.t2, region.KindVILLAGE)
	kdl := reg("150203", "昆都仑区", region.LevelCOUNTY, c1502, "")
	gy := reg("150222", "固阳县", region.LevelCOUNTY, c1502, "")
	f.empty = reg("150222100", "金山镇", region.LevelTOWNSHIP, gy, "")
	p11 := reg("11", "北京市", region.LevelPROVINCE, nil, "")
	c1101 := reg("1101", "市辖区", region.LevelCITY, p11, "")
	hd := reg("110108", "海淀区", region.LevelCOUNTY, c1101, "")

	f.u1 = c.Institution.Create().SetName("内蒙古农业大学").SetKind(institution.KindUNIVERSITY).SetRegion(kdl).SaveX(ctx)
	f.u2 = c.Institution.Create().SetName("中国农业大学").SetKind(institution.KindUNIVERSITY).SetRegion(hd).SaveX(ctx)
	f.u3 = c.Institution.Create().SetName("土右旗农技推广站").SetKind(institution.KindGOVERNMENT).SetRegion(f.county).SaveX(ctx)

	type pp struct {
		name, gender, birth, edu, pol, phone string
		tags                                 []vocab.PersonTag
		expertise                            []vocab.AgriculturalField
		inst                                 *ent.Institution
		home                                 *ent.Region
	}
	mk := func(x pp) *ent.Person {
		q := c.Person.Create().SetName(x.name)
		if x.gender != "" {
			q.SetGender(person.Gender(x.gender))
		}
		if x.birth != "" {
			q.SetBirthDate(date(x.birth))
		}
		if x.edu != "" {
			q.SetEducation(person.Education(x.edu))
		}
		if x.pol != "" {
			q.SetPoliticalStatus(person.PoliticalStatus(x.pol))
		}
		if x.phone != "" {
			q.SetPhone(x.phone)
		}
		if x.tags != nil {
			q.SetTags(x.tags)
		}
		if x.expertise != nil {
			q.SetExpertise(x.expertise)
		}
		if x.inst != nil {
			q.SetInstitution(x.inst)
		}
		if x.home != nil {
			q.SetHomeVillage(x.home)
		}
		return q.SaveX(ctx)
	}
	f.a = mk(pp{name: "张慧婷", gender: "FEMALE", birth: "1990-07-01", edu: "BACHELOR", pol: "CPC_MEMBER", phone: "13800138000", tags: []vocab.PersonTag{"RICH_LEADER"}})
	f.b = mk(pp{name: "王建国", gender: "MALE", birth: "1978-06-30", edu: "HIGH_SCHOOL", pol: "MASSES", phone: "13912345678"})
	f.c = mk(pp{name: "李明", gender: "MALE", birth: "1964-01-01", edu: "JUNIOR_COLLEGE", pol: "CPC_PROBATIONARY"})
	f.d = mk(pp{name: "赵六"})
	f.e = mk(pp{name: "孙七", gender: "MALE", birth: "1985-03-01", tags: []vocab.PersonTag{"RICH_LEADER", "VETERAN"}})
	f.f = mk(pp{name: "周八", gender: "MALE", birth: "1960-01-01"})
	f.g = mk(pp{name: "钱九", gender: "MALE", birth: "1995-12-31", edu: "JUNIOR_COLLEGE", pol: "CPC_MEMBER"})
	f.h = mk(pp{name: "吴十", phone: "13700008000"})
	f.i = mk(pp{name: "郑十一", gender: "FEMALE", birth: "2000-01-01", edu: "MASTER", pol: "CYL_MEMBER"})
	f.j = mk(pp{name: "陈顾问"})
	f.k = mk(pp{name: "刘顾问"})
	f.l = mk(pp{name: "第一书记"})
	f.m = mk(pp{name: "工作队员"})
	f.x1 = mk(pp{name: "蔬菜专家", inst: f.u1, expertise: []vocab.AgriculturalField{"VEGETABLES"}})
	f.x2 = mk(pp{name: "设施专家", inst: f.u2, expertise: []vocab.AgriculturalField{"PROTECTED_AGRICULTURE"}})
	f.x3 = mk(pp{name: "果树专家", inst: f.u1, expertise: []vocab.AgriculturalField{"FRUIT_TREES"}})
	f.x4 = mk(pp{name: "农技员", inst: f.u3, expertise: []vocab.AgriculturalField{"VEGETABLES"}})
	f.x5 = mk(pp{name: "畜牧专家", home: f.v3})

	type ps struct {
		who              *ent.Person
		where            *ent.Region
		role, start, end string
		list, dispatch   string
	}
	for _, x := range []ps{
		{who: f.a, where: f.v1, role: "SECRETARY_AND_DIRECTOR", start: "2021-01-01"},
		{who: f.b, where: f.v1, role: "COMMITTEE_MEMBER", start: "2021-01-01"},
		{who: f.c, where: f.v3, role: "PARTY_SECRETARY", start: "2020-01-01"},
		{who: f.d, where: f.v2, role: "COMMITTEE_MEMBER", start: "2022-01-01", end: "2023-12-31"},
		{who: f.e, where: f.v3, role: "DEPUTY_SECRETARY", start: "2023-01-01"},
		{who: f.f, where: f.v2, role: "COMMITTEE_DIRECTOR", start: "2024-07-01"},
		{who: f.g, where: f.v1, role: "RESERVE_CADRE", start: "2022-03-01", list: "SECRETARY_CANDIDATE"},
		{who: f.g, where: f.v2, role: "PARTY_SECRETARY", start: "2024-01-01"},
		{who: f.h, where: f.v1, role: "RESERVE_CADRE", start: "2022-03-01", list: "COMMITTEE_CANDIDATE"},
		{who: f.i, where: f.v3, role: "RESERVE_CADRE", start: "2019-05-01", end: "2019-12-31", list: "SECRETARY_CANDIDATE"},
		{who: f.i, where: f.v3, role: "COMMITTEE_MEMBER", start: "2020-03-01"},
		{who: f.l, where: f.v2, role: "FIRST_SECRETARY", start: "2023-01-01", dispatch: "COUNTY"},
		{who: f.m, where: f.v3, role: "WORK_TEAM_MEMBER", start: "2024-01-01"},
	} {
		q := c.Post.Create().SetPerson(x.who).SetRegion(x.where).SetRole(post.Role(x.role)).SetStartDate(date(x.start))
		if x.end != "" {
			q.SetEndDate(date(x.end))
		}
		if x.list != "" {
			q.SetReserveList(post.ReserveList(x.list))
		}
		if x.dispatch != "" {
			q.SetDispatchLevel(post.DispatchLevel(x.dispatch))
		}
		q.SaveX(ctx)
	}
	ms := func(mentor, mentee *ent.Person, where *ent.Region, start, end string, status mentorship.Status) *ent.Mentorship {
		q := c.Mentorship.Create().SetMentor(mentor).SetMentee(mentee).SetRegion(where).
			SetProgram(mentorship.ProgramQINGLAN).SetStartDate(date(start)).SetStatus(status)
		if end != "" {
			q.SetEndDate(date(end))
		}
		return q.SaveX(ctx)
	}
	f.ms1 = ms(f.c, f.e, f.v3, "2022-01-01", "2023-12-31", mentorship.StatusACTIVE)
	f.ms2 = ms(f.a, f.g, f.v1, "2022-06-01", "", mentorship.StatusACTIVE)
	f.ms3 = ms(f.a, f.h, f.v1, "2022-06-01", "", mentorship.StatusACTIVE)
	f.ms4 = ms(f.c, f.i, f.v3, "2019-06-01", "2019-12-31", mentorship.StatusCOMPLETED)
	f.ms5 = ms(f.e, f.b, f.v1, "2023-03-01", "", mentorship.StatusACTIVE)

	f.apJ = c.AdviserAppointment.Create().SetPerson(f.j).SetVillage(f.v1).SetKind(adviserappointment.KindHONORARY_SECRETARY).
		SetStartDate(date("2023-01-01")).SaveX(ctx)
	c.ContactLog.Create().SetAppointment(f.apJ).SetDate(date("2024-04-10")).SetMode("PHONE").SaveX(ctx)
	c.ContactLog.Create().SetAppointment(f.apJ).SetDate(date("2024-05-01")).SetMode("VISIT").SaveX(ctx)
	f.apK = c.AdviserAppointment.Create().SetPerson(f.k).SetVillage(f.v3).SetKind(adviserappointment.KindDEVELOPMENT_ADVISER).
		SetStartDate(date("2024-06-15")).SaveX(ctx)

	f.asX1 = c.ExpertAssignment.Create().SetExpert(f.x1).SetRegion(f.t1).SetFields([]vocab.AgriculturalField{"VEGETABLES"}).
		SetStartDate(date("2024-01-01")).SaveX(ctx)
	c.ServiceRecord.Create().SetAssignment(f.asX1).SetDate(date("2024-02-01")).SetKind("GUIDANCE").SaveX(ctx)
	f.asX5 = c.ExpertAssignment.Create().SetExpert(f.x5).SetRegion(f.v3).SetFields([]vocab.AgriculturalField{"LIVESTOCK_POULTRY"}).
		SetStartDate(date("2023-01-01")).SetEndDate(date("2023-12-31")).SaveX(ctx)
	c.ServiceRecord.Create().SetAssignment(f.asX5).SetDate(date("2023-06-01")).SetKind("TRAINING").SaveX(ctx)

	dm := func(where *ent.Region, field, raised string, status demand.Status) *ent.Demand {
		return c.Demand.Create().SetRegion(where).SetField(vocab.AgriculturalField(field)).SetDescription("需求").
			SetRaisedOn(date(raised)).SetStatus(status).SaveX(ctx)
	}
	f.d1 = dm(f.v2, "VEGETABLES", "2024-03-01", demand.StatusOPEN)
	f.d2 = dm(f.v3, "AQUACULTURE", "2024-06-01", demand.StatusOPEN)
	f.d3 = dm(f.v1, "E_COMMERCE", "2023-01-01", demand.StatusDONE)
	f.d4 = dm(f.v3, "E_COMMERCE", "2024-06-20", demand.StatusOPEN)

	con := func(where *ent.Region, kind contribution.Kind, on string, yuan int64, ap *ent.AdviserAppointment, as *ent.ExpertAssignment) {
		q := c.Contribution.Create().SetVillage(where).SetKind(kind).SetDate(date(on)).SetAmountYuan(yuan)
		if ap != nil {
			q.SetAppointment(ap)
		}
		if as != nil {
			q.SetAssignment(as)
		}
		q.SaveX(ctx)
	}
	con(f.v1, contribution.KindINVESTMENT_LEAD, "2024-03-01", 0, f.apJ, nil)
	con(f.v1, contribution.KindFUNDS, "2024-04-01", 500000, f.apJ, nil)
	con(f.v2, contribution.KindPROJECT_LANDED, "2024-05-01", 200000, nil, f.asX1)
	con(f.v1, contribution.KindFUNDS, "2024-07-15", 100000, nil, f.asX1)
	return f
}
