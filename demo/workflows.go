package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/candidacystep"
	"yanzhen/ent/contribution"
	"yanzhen/ent/institution"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
	"yanzhen/rules"
	"yanzhen/workflow"
)

// The work that moves through hands (docs/workflows.md), as the seed
// documents give it: 沙市's outcome chains and its 2024 资格联审, the
// resident teams and 片区 of 吴忠 and of seed 000's district (魏县 here),
// and the resident cadres' assessments. They are planned after every area's
// builder, each from a generator of its own, so the people and posts the
// builders draw stay exactly as they were.

// The figures of seed 000's district (全区) that 魏县 stands for: "全区共派驻
// 18名市派驻村干部、78名区派驻村干部". The report counts cadres (people), so
// the split is over the resident cadres' posts: 18 CITY and 78 COUNTY (区派
// is the district's own level, COUNTY), in teams of three.
const (
	weixianCityCadres   = 18
	weixianCountyCadres = 78
	residentTeamSize    = 3 // a first secretary and two members
)

// weixianRotation is when the district's second round of teams (第二轮乡村振兴
// 驻村帮扶工作队) took over: "2023年5月轮换至今".
var weixianRotation = date(2023, time.May, 8)

// 沙市区's 2024 资格联审 (seed 001): "2024年累计对40名村（社区）“两委”候选人
// 进行区级联审", in the round of 两委 adjustments the report describes.
const (
	shashiRound2024 = "2024年村（社区）“两委”干部调整优化"
	shashiVetted    = 40
	// Where the 40 stand on the as-of day. Every one of them had the
	// district's 联审 conclusion by the report (2024-08-22; that is what it
	// counts); the district files every appointment (区级备案), so most are
	// FILED, four were appointed late in the year and are not filed yet,
	// three passed and still wait for their village's 补选, and two were
	// refused by the 联审.
	shashiFiled     = 31
	shashiAppointed = 4
	shashiJoint     = 3
	shashiRefused   = 2
	// The actor of the demo's steps: no demo account covers 沙市, so the
	// steps name this one, with the role that owns each step.
	demoActor = "demo"
)

// shashiReportCutoff is a week before the report (2024-08-22): what the
// advisers brought had happened by then.
var shashiReportCutoff = date(2024, time.August, 15)

type residentAreaPlan struct {
	Region   *place // the county that set it up
	Name     string
	Branch   string // the 临时党支部
	Leader   *profile
	Villages []*place
	Start    time.Time
	ID       int
}

type residentTeamPlan struct {
	Village *place
	Name    string
	Leader  *profile
	Level   residentteam.DispatchLevel
	Units   []string
	Start   time.Time
	Area    *residentAreaPlan
	members []*postPlan
	ID      int
}

type residentAssessmentPlan struct {
	Who    *profile
	Team   *residentTeamPlan
	Kind   residentassessment.Kind
	Year   int
	Period int // the quarter of a ROUTINE assessment
	Grade  residentassessment.Grade
	By     string
	On     time.Time
}

type candidacyPlan struct {
	Who       *profile
	Village   *place
	Role      candidacy.Role
	State     candidacy.State
	Proposed  time.Time
	Appointed time.Time // zero: not appointed
	Filed     time.Time // zero: not filed
	Post      *postPlan
	Refused   candidacy.RefusedStep
	Reason    string
	Steps     []candidacyStepPlan
}

type candidacyStepPlan struct {
	Step     candidacystep.Step
	Body     candidacystep.Body // "": not a body's opinion
	Decision candidacystep.Decision
	Opinion  string
	On       time.Time
}

// buildWorkflows plans the records of the workflows over the areas the
// builders have planned.
func buildWorkflows(p *plan, areas map[string]*area, ids *uniques) error {
	gen := func(k uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 100+k)) }
	if err := chainShashiOutcomes(p, gen(1)); err != nil {
		return err
	}
	if err := wuzhongResidentTeams(p, areas[Wuzhong], gen(2)); err != nil {
		return err
	}
	fw := newFactory(gen(3), p.asOf, ExternalIDPrefix+"P-"+Weixian+"-R", ids)
	if err := weixianResidentTeams(p, areas[Weixian], fw); err != nil {
		return err
	}
	fs := newFactory(gen(4), p.asOf, ExternalIDPrefix+"P-"+Shashi+"-C", ids)
	return shashiCandidacies(p, areas[Shashi], fs)
}

// chainShashiOutcomes makes 沙市's adviser contributions (17 leads, 13
// visits, 4 projects and the funds) the outcome chains they are: each visit
// follows a lead of its adviser in the adviser's village, each project a
// visit, each tranche of funds a project, every step on or after the one it
// follows. buildShashi drew the records and their amounts, and its draws
// stay so that everything it draws after them is unchanged; here each gets
// its appointment, village and day.
func chainShashiOutcomes(p *plan, r *rand.Rand) error {
	byKind := map[contribution.Kind][]*contributionPlan{}
	for _, c := range p.contributions {
		if c.Appointment != nil {
			byKind[c.Kind] = append(byKind[c.Kind], c)
		}
	}
	apps := p.appointments
	leads, visits := byKind[contribution.KindINVESTMENT_LEAD], byKind[contribution.KindSITE_VISIT]
	projects, funds := byKind[contribution.KindPROJECT_LANDED], byKind[contribution.KindFUNDS]
	if len(leads) != shashiLeads || len(visits) != shashiVisits || len(projects) != shashiProjects || len(funds) == 0 {
		return fmt.Errorf("demo: 沙市's adviser contributions are %d/%d/%d/%d, want %d leads, %d visits, %d projects and funds",
			len(leads), len(visits), len(projects), len(funds), shashiLeads, shashiVisits, shashiProjects)
	}
	// The advisers of the chains that reached a project were appointed at
	// the first ceremony (2023-04-18): a project takes the better part of a
	// year from the first lead to the money.
	var early, rest []*appointmentPlan
	for _, i := range r.Perm(len(apps)) {
		if apps[i].Start.Before(date(2023, time.May, 1)) && len(early) < shashiProjects {
			early = append(early, apps[i])
		} else {
			rest = append(rest, apps[i])
		}
	}
	chosen := append(early, rest[:shashiLeads-shashiProjects]...)
	after := func(from time.Time, lo, hi int) time.Time { return from.AddDate(0, 0, lo+r.IntN(hi-lo+1)) }
	for i, l := range leads {
		ap := chosen[i]
		l.Appointment, l.Village = ap, ap.Village
		first := laterOf(ap.Start.AddDate(0, 0, 14), date(2023, time.May, 1))
		switch {
		case i < shashiProjects:
			l.Date = randomDay(r, first, date(2023, time.September, 30))
		case i < shashiVisits:
			l.Date = randomDay(r, first, date(2024, time.June, 15))
		default: // a lead nobody has come to see yet
			l.Date = randomDay(r, first, shashiReportCutoff)
		}
	}
	for i, v := range visits {
		v.Follows, v.Appointment, v.Village = leads[i], leads[i].Appointment, leads[i].Village
		v.Date = after(leads[i].Date, 10, 45)
	}
	for i, pr := range projects {
		pr.Follows, pr.Appointment, pr.Village = visits[i], visits[i].Appointment, visits[i].Village
		pr.Date = after(visits[i].Date, 45, 120)
	}
	// The funds come in tranches: the first to each project in turn, the
	// later ones to the first projects again, each after the one before.
	last := map[*contributionPlan]time.Time{}
	for i, fu := range funds {
		pr := projects[i%len(projects)]
		fu.Follows, fu.Appointment, fu.Village = pr, pr.Appointment, pr.Village
		if prev, ok := last[pr]; ok {
			fu.Date = after(prev, 30, 90)
		} else {
			fu.Date = after(pr.Date, 20, 60)
		}
		last[pr] = fu.Date
	}
	for _, c := range p.contributions {
		if c.Appointment != nil && c.Date.After(shashiReportCutoff) {
			return fmt.Errorf("demo: 沙市's contribution %s is dated %s, after the report", c.ExternalID, c.Date.Format(time.DateOnly))
		}
	}
	return nil
}

// checkChains checks every planned outcome chain by the rule the hook
// applies (rules.CheckOutcomeStep).
func (p *plan) checkChains() error {
	for _, c := range p.contributions {
		if c.Follows == nil {
			continue
		}
		if v := rules.CheckOutcomeStep(string(c.Kind), string(c.Follows.Kind), c.Village == c.Follows.Village, c.Date, c.Follows.Date); v != nil {
			return fmt.Errorf("demo plan: contribution %s does not follow %s", c.ExternalID, c.Follows.ExternalID)
		}
	}
	return nil
}

// chainGenerations orders contributions for writing: the first steps of the
// chains, then what follows them, and so on, since a step names one
// already written.
func chainGenerations(xs []*contributionPlan) [][]*contributionPlan {
	depth := func(c *contributionPlan) int {
		d := 0
		for ; c.Follows != nil; c = c.Follows {
			d++
		}
		return d
	}
	var out [][]*contributionPlan
	for _, c := range xs {
		d := depth(c)
		for len(out) <= d {
			out = append(out, nil)
		}
		out[d] = append(out[d], c)
	}
	return out
}

// areaNames names the 片区 of each township: the townships of a county in
// code order, three by three, as the resident posts' cluster says
// (buildWuzhong).
func areaNames(a *area) map[int]string {
	names := map[int]string{}
	counters := map[int]int{}
	for _, t := range a.townships {
		c := a.county(t)
		names[t.ID] = fmt.Sprintf("%s第%d片区", shortName(c.Name), counters[c.ID]/3+1)
		counters[c.ID]++
	}
	return names
}

// residentTeams makes one 驻村工作队 of the resident posts in each village of
// the area that has them and no team yet: the first secretary leads it; its
// level, sending units and start are its members'.
func residentTeams(p *plan, a *area) ([]*residentTeamPlan, error) {
	byVillage := map[*place]*residentTeamPlan{}
	var teams []*residentTeamPlan
	for _, x := range p.posts {
		if (x.Role != post.RoleFIRST_SECRETARY && x.Role != post.RoleWORK_TEAM_MEMBER) || x.Team != nil || a.byID[x.Region.ID] != x.Region {
			continue
		}
		t := byVillage[x.Region]
		if t == nil {
			t = &residentTeamPlan{Village: x.Region, Level: residentteam.DispatchLevel(x.Dispatch), Start: x.Start}
			byVillage[x.Region] = t
			teams = append(teams, t)
		}
		if residentteam.DispatchLevel(x.Dispatch) != t.Level {
			return nil, fmt.Errorf("demo: the resident cadres of %s come from two levels", x.Region.Code)
		}
		if x.Role == post.RoleFIRST_SECRETARY {
			t.Leader = x.Who
		}
		if x.Unit != "" && !slices.Contains(t.Units, x.Unit) {
			t.Units = append(t.Units, x.Unit)
		}
		if x.Start.Before(t.Start) {
			t.Start = x.Start
		}
		x.Team = t
		t.members = append(t.members, x)
	}
	for _, t := range teams {
		if t.Leader == nil {
			return nil, fmt.Errorf("demo: the resident team of %s has no first secretary", t.Village.Code)
		}
		unit := "驻村"
		if len(t.Units) > 0 {
			unit = t.Units[0] + "驻"
		}
		t.Name = fmt.Sprintf("%s%s工作队", unit, t.Village.Name)
	}
	p.residentTeams = append(p.residentTeams, teams...)
	return teams, nil
}

// levelRank orders dispatch levels from the highest.
var levelRank = map[residentteam.DispatchLevel]int{
	residentteam.DispatchLevelPROVINCE: 0, residentteam.DispatchLevelCITY: 1,
	residentteam.DispatchLevelCOUNTY: 2, residentteam.DispatchLevelTOWNSHIP: 3,
}

// residentAreas groups the teams into 片区 (驻村帮扶片区工作制, seed 000):
// each 片区 takes the villages of its townships — the teams help the whole
// 片区, not only their own village (驻点帮扶 → 驻片帮扶) — and sets up a 临时党支部
// whose secretary, the 组长, is the first secretary of its team of the
// highest level (the lowest village code among equals).
func residentAreas(p *plan, a *area, teams []*residentTeamPlan) error {
	names := areaNames(a)
	byName := map[string]*residentAreaPlan{}
	led := map[*residentAreaPlan]*residentTeamPlan{}
	var list []*residentAreaPlan
	for _, t := range teams {
		name := names[t.Village.ParentID]
		for _, m := range t.members {
			if m.Cluster != name {
				return fmt.Errorf("demo: a resident post of %s is in the 片区 %q, its township in %q", t.Village.Code, m.Cluster, name)
			}
		}
		ar := byName[name]
		if ar == nil {
			ar = &residentAreaPlan{Region: a.county(t.Village), Name: name, Branch: name + "临时党支部", Start: t.Start}
			byName[name] = ar
			list = append(list, ar)
		}
		t.Area = ar
		if t.Start.Before(ar.Start) {
			ar.Start = t.Start
		}
		if lt := led[ar]; lt == nil || levelRank[t.Level] < levelRank[lt.Level] {
			led[ar], ar.Leader = t, t.Leader
		}
	}
	for _, tw := range a.townships {
		if ar := byName[names[tw.ID]]; ar != nil {
			ar.Villages = append(ar.Villages, a.villagesOf[tw.ID]...)
		}
	}
	p.residentAreas = append(p.residentAreas, list...)
	return nil
}

// assessYear grades the year of every member of the teams who served at
// least half of it (a cadre stationed for less is not graded for the year),
// assessed in January by the organization department of the county where
// they serve.
func assessYear(p *plan, a *area, r *rand.Rand, teams []*residentTeamPlan, year int) {
	half := date(year, time.July, 1)
	for _, t := range teams {
		for _, m := range t.members {
			if !m.Start.Before(half) {
				continue
			}
			p.residentAssessments = append(p.residentAssessments, &residentAssessmentPlan{Who: m.Who, Team: t,
				Kind: residentassessment.KindANNUAL, Year: year, Grade: residentGrade(r),
				By: a.county(t.Village).Name + "委组织部", On: randomDay(r, date(year+1, time.January, 8), date(year+1, time.January, 31))})
		}
	}
}

// residentGrade draws a grade: about a quarter 优秀, a few 基本称职, rarely
// 不称职.
func residentGrade(r *rand.Rand) residentassessment.Grade {
	switch n := r.IntN(100); {
	case n < 25:
		return residentassessment.GradeEXCELLENT
	case n < 96:
		return residentassessment.GradeCOMPETENT
	case n < 99:
		return residentassessment.GradeBASICALLY_COMPETENT
	default:
		return residentassessment.GradeINCOMPETENT
	}
}

// wuzhongResidentTeams gives 吴忠's 510 resident cadres (buildWuzhong) their
// 170 teams and 片区, and grades 2023 for those in post since 2021.
func wuzhongResidentTeams(p *plan, a *area, r *rand.Rand) error {
	teams, err := residentTeams(p, a)
	if err != nil {
		return err
	}
	if len(teams) != wuzhongTeams {
		return fmt.Errorf("demo: 吴忠 has %d resident teams, want %d", len(teams), wuzhongTeams)
	}
	if err := residentAreas(p, a, teams); err != nil {
		return err
	}
	assessYear(p, a, r, teams, 2023)
	return nil
}

// Sending units of the district's 市派 cadres (邯郸市 units).
var handanUnits = []struct {
	name string
	kind institution.Kind
}{
	{"邯郸市委组织部", institution.KindGOVERNMENT},
	{"邯郸市农业农村局", institution.KindGOVERNMENT},
	{"邯郸市财政局", institution.KindGOVERNMENT},
	{"邯郸市卫生健康委员会", institution.KindGOVERNMENT},
	{"邯郸市自然资源和规划局", institution.KindGOVERNMENT},
	{"邯郸市中心医院", institution.KindHOSPITAL},
}

// weixianResidentTeams stations seed 000's resident cadres in 魏县: 6 teams
// sent by the city (18 市派 cadres) and 26 by the district (78 区派), since
// the rotation of May 2023, in 片区 like 吴忠's. They are graded for 2023 and
// each quarter of 2024 done by the as-of day (平时考核 and 年度考核, seed 000).
func weixianResidentTeams(p *plan, a *area, f *factory) error {
	r := f.r
	cityTeams, countyTeams := weixianCityCadres/residentTeamSize, weixianCountyCadres/residentTeamSize
	if err := a.need(cityTeams + countyTeams); err != nil {
		return err
	}
	county := a.root
	names := areaNames(a)
	senders := map[string]*institutionPlan{}
	stationed := sample(r, a.villages, cityTeams+countyTeams)
	city := map[int]bool{}
	for _, i := range r.Perm(len(stationed))[:cityTeams] {
		city[i] = true
	}
	for i, v := range stationed {
		level, unit, idCode := post.DispatchLevelCOUNTY, county.Name+countyUnitSuffixes[r.IntN(len(countyUnitSuffixes))], county.Code
		var in *institutionPlan
		if city[i] {
			u := handanUnits[r.IntN(len(handanUnits))]
			level, unit, idCode = post.DispatchLevelCITY, u.name, []string{"130402", "130403", "130404"}[r.IntN(3)]
			if in = senders[u.name]; in == nil {
				in = p.institution(u.name, u.kind, "130403")
				senders[u.name] = in
			}
		}
		start := weixianRotation.AddDate(0, 0, r.IntN(18))
		for j := 0; j < residentTeamSize; j++ {
			age := 26 + r.IntN(12) + r.IntN(14)
			if j == 0 {
				age = 30 + r.IntN(10) + r.IntN(12)
			}
			rc := f.newPerson(idCode, age, r.IntN(100) < 25, hebei)
			rc.rank = rankOutsider
			rc.institution = in
			switch k := r.IntN(100); {
			case k < 70:
				rc.Education = person.EducationBACHELOR
			case k < 85:
				rc.Education = person.EducationMASTER
			default:
				rc.Education = person.EducationJUNIOR_COLLEGE
			}
			if j == 0 || r.IntN(100) < 88 {
				f.joinParty(rc)
			} else {
				rc.Political = person.PoliticalStatusCYL_MEMBER
			}
			p.add(rc)
			role := post.RoleWORK_TEAM_MEMBER
			if j == 0 {
				role = post.RoleFIRST_SECRETARY
			}
			p.post(&postPlan{Who: rc, Region: v, Role: role, Dispatch: level, Unit: unit, Sender: in,
				Cluster: names[v.ParentID], Start: start})
		}
	}
	teams, err := residentTeams(p, a)
	if err != nil {
		return err
	}
	if err := residentAreas(p, a, teams); err != nil {
		return err
	}
	assessYear(p, a, r, teams, 2023)
	// 平时考核 of 2024, quarter by quarter, in the month after each.
	for q := 1; q <= 3; q++ {
		from := date(2024, time.Month(3*q+1), 3)
		for _, t := range teams {
			for _, m := range t.members {
				p.residentAssessments = append(p.residentAssessments, &residentAssessmentPlan{Who: m.Who, Team: t,
					Kind: residentassessment.KindROUTINE, Year: 2024, Period: q, Grade: residentGrade(r),
					By: county.Name + "委组织部", On: randomDay(r, from, from.AddDate(0, 0, 20))})
			}
		}
	}
	return nil
}

// shashiCandidacies plans 沙市's 2024 资格联审 of 40 两委 candidates, each
// with the steps its state has taken: 村级初审, 镇级复审, the opinions of
// 纪检监察, 公安 and 信访 and the district's conclusion, then the 任命 and the
// 备案. The reserves who entered a committee in 2024 (buildShashi) were
// among them, on their post; the other appointees are new committee members
// (外引: returnees, graduates, veterans), on a new post; the three still
// waiting are reserves, the two refused newcomers.
func shashiCandidacies(p *plan, a *area, f *factory) error {
	r := f.r
	var entered, reserves []*postPlan
	for _, x := range p.posts {
		if a.byID[x.Region.ID] != x.Region {
			continue
		}
		switch {
		case x.Role == post.RoleCOMMITTEE_MEMBER && !x.Start.Before(date(2024, time.February, 15)):
			entered = append(entered, x)
		case x.Role == post.RoleRESERVE_CADRE && x.End.IsZero() && x.List != post.ReserveListBACKBONE_MEMBER:
			reserves = append(reserves, x)
		}
	}
	if len(entered) > shashiFiled || len(reserves) < shashiJoint {
		return fmt.Errorf("demo: 沙市 has %d committee members who entered in 2024 and %d reserves", len(entered), len(reserves))
	}
	after := func(from time.Time, lo, hi int) time.Time { return from.AddDate(0, 0, lo+r.IntN(hi-lo+1)) }
	newcomer := func(v *place) *profile {
		c := f.newPerson(Shashi, 25+r.IntN(12)+r.IntN(10), r.IntN(100) < 40, hubei)
		c.HomeVillageID = v.ID
		c.rank = rankCadre
		if r.IntN(100) < 75 {
			c.Education = collegeLevel(r)
		} else {
			c.Education = schoolLevel(r)
		}
		if r.IntN(100) < 80 {
			f.joinParty(c)
		} else {
			c.Political = person.PoliticalStatusMASSES
		}
		switch k := r.IntN(100); {
		case k < 30:
			c.addTag("RETURNEE")
		case k < 50 && isCollege(c.Education):
			c.addTag("COLLEGE_GRADUATE")
		case k < 60 && c.Gender == person.GenderMALE:
			c.addTag("VETERAN")
		case k < 70:
			c.addTag("RICH_LEADER")
		}
		return p.add(c)
	}
	villages := r.Perm(len(a.villages))
	nextVillage := func() *place {
		v := a.villages[villages[0]]
		villages = villages[1:]
		return v
	}
	// review writes the steps up to the district's conclusion on day
	// decided, the one body that refused (if any) giving its reason.
	review := func(c *candidacyPlan, decided time.Time, refusing candidacystep.Body, why string) {
		var bodies []candidacyStepPlan
		first := decided
		for _, b := range []candidacystep.Body{candidacystep.BodyDISCIPLINE, candidacystep.BodyPUBLIC_SECURITY, candidacystep.BodyPETITION} {
			s := candidacyStepPlan{Step: candidacystep.StepBODY_OPINION, Body: b, Decision: candidacystep.DecisionAPPROVED,
				Opinion: bodyOpinions[b], On: decided.AddDate(0, 0, -1-r.IntN(6))}
			if b == refusing {
				s.Decision, s.Opinion = candidacystep.DecisionREFUSED, why
			}
			if s.On.Before(first) {
				first = s.On
			}
			bodies = append(bodies, s)
		}
		township := first.AddDate(0, 0, -3-r.IntN(8))
		c.Proposed = township.AddDate(0, 0, -2-r.IntN(6))
		c.Steps = append(c.Steps,
			candidacyStepPlan{Step: candidacystep.StepVILLAGE_REVIEW, Decision: candidacystep.DecisionAPPROVED,
				Opinion: "经村党组织初审，符合村“两委”成员任职条件，同意推荐", On: c.Proposed},
			candidacyStepPlan{Step: candidacystep.StepTOWNSHIP_REVIEW, Decision: candidacystep.DecisionAPPROVED,
				Opinion: "经镇（街道）党（工）委复审，同意报区级资格联审", On: township})
		c.Steps = append(c.Steps, bodies...)
		conclusion := candidacyStepPlan{Step: candidacystep.StepCOUNTY_DECISION, Decision: candidacystep.DecisionAPPROVED,
			Opinion: "区级资格联审通过", On: decided}
		if refusing != "" {
			conclusion.Decision = candidacystep.DecisionREFUSED
			conclusion.Opinion = fmt.Sprintf("%s不同意（%s），资格联审不予通过", bodyNamesZh[refusing], why)
			c.State, c.Refused, c.Reason = candidacy.StateREFUSED, candidacy.RefusedStepCOUNTY_DECISION, conclusion.Opinion
		}
		c.Steps = append(c.Steps, conclusion)
	}
	appoint := func(c *candidacyPlan, on time.Time) {
		c.Appointed = on
		c.Steps = append(c.Steps, candidacyStepPlan{Step: candidacystep.StepAPPOINTMENT, Decision: candidacystep.DecisionAPPROVED,
			Opinion: "经村党组织会议和选举程序补选为村“两委”成员", On: on})
	}
	file := func(c *candidacyPlan, on time.Time) {
		c.Filed = on
		c.Steps = append(c.Steps, candidacyStepPlan{Step: candidacystep.StepFILING, Decision: candidacystep.DecisionAPPROVED,
			Opinion: "已报区委组织部备案", On: on})
	}
	var list []*candidacyPlan
	add := func(who *profile, v *place, state candidacy.State) *candidacyPlan {
		c := &candidacyPlan{Who: who, Village: v, Role: candidacy.RoleCOMMITTEE_MEMBER, State: state}
		list = append(list, c)
		return c
	}
	// The reserves who entered in 2024, on the post they took.
	for _, x := range entered {
		c := add(x.Who, x.Region, candidacy.StateFILED)
		c.Post = x
		review(c, x.Start.AddDate(0, 0, -5-r.IntN(16)), "", "")
		appoint(c, x.Start)
		file(c, after(x.Start, 7, 30))
	}
	// Newcomers appointed and filed over the year, then the latest few
	// appointed and waiting for the 备案.
	newPost := func(c *candidacyPlan) {
		c.Post = p.post(&postPlan{Who: c.Who, Region: c.Village, Role: post.RoleCOMMITTEE_MEMBER, Start: c.Appointed})
	}
	for i := len(entered); i < shashiFiled; i++ {
		v := nextVillage()
		c := add(newcomer(v), v, candidacy.StateFILED)
		decided := randomDay(r, date(2024, time.February, 20), date(2024, time.August, 10))
		review(c, decided, "", "")
		appoint(c, after(decided, 5, 20))
		file(c, after(c.Appointed, 7, 30))
		newPost(c)
	}
	for i := 0; i < shashiAppointed; i++ {
		v := nextVillage()
		c := add(newcomer(v), v, candidacy.StateAPPOINTED)
		review(c, randomDay(r, date(2024, time.July, 15), shashiReportCutoff), "", "")
		appoint(c, randomDay(r, date(2024, time.November, 20), date(2024, time.December, 24)))
		newPost(c)
	}
	// Reserves the 联审 passed, waiting for their village's 补选.
	for _, x := range sample(r, reserves, shashiJoint) {
		c := add(x.Who, x.Region, candidacy.StateJOINT_REVIEWED)
		review(c, randomDay(r, date(2024, time.July, 25), shashiReportCutoff), "", "")
	}
	// Two newcomers the 联审 refused: one under a party disciplinary
	// sanction, one with a police record; the body's opinion is the reason.
	for _, refusal := range []struct {
		body candidacystep.Body
		why  string
	}{
		{candidacystep.BodyDISCIPLINE, "2023年受党内警告处分，尚在处分影响期内"},
		{candidacystep.BodyPUBLIC_SECURITY, "近三年内受过治安管理处罚"},
	} {
		v := nextVillage()
		c := add(newcomer(v), v, candidacy.StateREFUSED)
		review(c, randomDay(r, date(2024, time.April, 1), date(2024, time.August, 10)), refusal.body, refusal.why)
	}
	if len(list) != shashiVetted || shashiFiled+shashiAppointed+shashiJoint+shashiRefused != shashiVetted {
		return fmt.Errorf("demo: planned %d candidacies in 沙市, want %d", len(list), shashiVetted)
	}
	for _, c := range list {
		sort.SliceStable(c.Steps, func(i, j int) bool { return c.Steps[i].On.Before(c.Steps[j].On) })
		for _, s := range c.Steps {
			if s.Step == candidacystep.StepCOUNTY_DECISION && s.On.After(shashiReportCutoff) || c.Proposed.Year() != 2024 {
				return fmt.Errorf("demo: a candidacy of %s's 2024 round is proposed on %s, concluded on %s",
					c.Village.Code, c.Proposed.Format(time.DateOnly), s.On.Format(time.DateOnly))
			}
		}
	}
	p.candidacies = append(p.candidacies, list...)
	return nil
}

var bodyOpinions = map[candidacystep.Body]string{
	candidacystep.BodyDISCIPLINE:      "未发现违纪违法问题，同意",
	candidacystep.BodyPUBLIC_SECURITY: "无违法犯罪记录，同意",
	candidacystep.BodyPETITION:        "无涉访问题，同意",
}

var bodyNamesZh = map[candidacystep.Body]string{
	candidacystep.BodyDISCIPLINE:      "纪检监察机关",
	candidacystep.BodyPUBLIC_SECURITY: "公安机关",
}

// writeResidentTeams writes the 片区 and the teams, before the posts that
// name their team.
func (p *plan) writeResidentTeams(ctx context.Context, tx *ent.Tx) error {
	err := chunks(p.residentAreas, func(xs []*residentAreaPlan) error {
		bs := make([]*ent.ResidentAreaCreate, len(xs))
		for i, x := range xs {
			ids := make([]int, len(x.Villages))
			for j, v := range x.Villages {
				ids[j] = v.ID
			}
			bs[i] = tx.ResidentArea.Create().SetRegionID(x.Region.ID).SetName(x.Name).SetPartyBranch(x.Branch).
				SetLeaderID(x.Leader.ID).SetStartDate(x.Start).AddVillageIDs(ids...)
		}
		rows, err := tx.ResidentArea.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing 片区: %w", err)
	}
	err = chunks(p.residentTeams, func(xs []*residentTeamPlan) error {
		bs := make([]*ent.ResidentTeamCreate, len(xs))
		for i, x := range xs {
			b := tx.ResidentTeam.Create().SetVillageID(x.Village.ID).SetName(x.Name).SetLeaderID(x.Leader.ID).
				SetDispatchLevel(x.Level).SetStartDate(x.Start)
			if len(x.Units) > 0 {
				b.SetSendingUnits(x.Units)
			}
			if x.Area != nil {
				b.SetAreaID(x.Area.ID)
			}
			bs[i] = b
		}
		rows, err := tx.ResidentTeam.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing resident teams: %w", err)
	}
	return nil
}

// writeWorkflows writes the candidacies with their steps and the resident
// assessments, after the posts they name.
func (p *plan) writeWorkflows(ctx context.Context, tx *ent.Tx) error {
	type stepOf struct {
		c *candidacyPlan
		s candidacyStepPlan
	}
	var steps []stepOf
	ids := map[*candidacyPlan]int{}
	err := chunks(p.candidacies, func(xs []*candidacyPlan) error {
		bs := make([]*ent.CandidacyCreate, len(xs))
		for i, x := range xs {
			b := tx.Candidacy.Create().SetPersonID(x.Who.ID).SetRegionID(x.Village.ID).SetPurpose(candidacy.PurposeENTRY).
				SetRole(x.Role).SetState(x.State).SetProposedOn(x.Proposed).SetRound(shashiRound2024)
			if x.Post != nil {
				b.SetPostID(x.Post.ID)
			}
			if !x.Appointed.IsZero() {
				b.SetAppointedOn(x.Appointed)
			}
			if !x.Filed.IsZero() {
				b.SetFiledOn(x.Filed)
			}
			if x.Refused != "" {
				b.SetRefusedStep(x.Refused).SetRefusalReason(x.Reason)
			}
			bs[i] = b
			for _, s := range x.Steps {
				steps = append(steps, stepOf{x, s})
			}
		}
		rows, err := tx.Candidacy.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			ids[xs[i]] = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing candidacies: %w", err)
	}
	err = chunks(steps, func(xs []stepOf) error {
		bs := make([]*ent.CandidacyStepCreate, len(xs))
		for i, x := range xs {
			b := tx.CandidacyStep.Create().SetCandidacyID(ids[x.c]).SetStep(x.s.Step).SetDecision(x.s.Decision).
				SetOpinion(x.s.Opinion).SetActedOn(x.s.On).SetActor(demoActor).SetActorRole(string(workflow.Owner[x.s.Step]))
			if x.s.Body != "" {
				b.SetBody(x.s.Body)
			}
			bs[i] = b
		}
		_, err := tx.CandidacyStep.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing candidacy steps: %w", err)
	}
	err = chunks(p.residentAssessments, func(xs []*residentAssessmentPlan) error {
		bs := make([]*ent.ResidentAssessmentCreate, len(xs))
		for i, x := range xs {
			b := tx.ResidentAssessment.Create().SetPersonID(x.Who.ID).SetRegionID(x.Team.Village.ID).SetTeamID(x.Team.ID).
				SetKind(x.Kind).SetYear(x.Year).SetGrade(x.Grade).SetAssessedBy(x.By).SetAssessedOn(x.On)
			if x.Period > 0 {
				b.SetPeriod(x.Period)
			}
			bs[i] = b
		}
		_, err := tx.ResidentAssessment.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing resident assessments: %w", err)
	}
	return nil
}
