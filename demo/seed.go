// Package demo fills a database with a synthetic but plausible population of
// the areas the seed documents describe, so that a newcomer sees a living
// system on first start, and generates large populations for load tests.
//
// # The demo population (Seed)
//
// Seed writes, in one transaction and through ent (so every graph rule runs on
// every row), the same population on every run and on either database: all
// randomness comes from generators with fixed seeds, and regions are visited
// in code order. The population is stated as of a fixed day, DefaultAsOf
// (2024-12-31); ages, "current" and "overdue" are measured on that day, never
// on the clock. Every demo person, mentorship, appointment, assignment, demand,
// institution and contribution carries an external ID starting "DEMO-"; a
// second Seed finds them and does nothing.
//
// The figures the seed documents publish come out exactly, by these
// definitions (demo/seed_test.go and demo/workcycle_test.go assert each with
// their own SQL, not the product's). A current post is one whose end_date is NULL (every demo post
// starts on or before the as-of day). A county's subtree is every region whose
// code starts with the county's code.
//
// 土默特右旗 (150221), after the 2024 北疆新闻 report:
//   - 两委 cadres: distinct people holding a current post with role
//     PARTY_SECRETARY, SECRETARY_AND_DIRECTOR, COMMITTEE_DIRECTOR,
//     DEPUTY_SECRETARY or COMMITTEE_MEMBER on a region of the subtree: 1,217,
//     one post each;
//   - villages: distinct regions holding those posts: 201, all of kind VILLAGE,
//     each with exactly one current PARTY_SECRETARY or SECRETARY_AND_DIRECTOR
//     (most of them 一肩挑). The extract's VILLAGE-kind regions beyond 201 are
//     left empty, names not ending in 村 first, then the highest codes;
//   - average age: the mean of the cadres' ages in completed years (周岁) on the
//     as-of day is 41.75, the mean of their exact ages about 42.25 — 42 either
//     way (on 31 December the completed age equals the difference of years);
//   - 大专及以上: cadres whose education is JUNIOR_COLLEGE, BACHELOR, MASTER
//     or DOCTORATE: 554 of 1,217 = 45.52%;
//   - under 35: cadres younger than 35 completed years on the as-of day: 237;
//   - reserves: distinct people holding a current RESERVE_CADRE post on a
//     region of the subtree: 749, on all three lists; 110 of them are sitting
//     committee members on the 书记培养对象 list. Every village has at least
//     two except four that have one (so the reserve alerts have something to
//     show);
//   - returnees: cadres tagged RETURNEE: 237; nobody else with a current post
//     in the subtree carries the tag;
//   - the year's work (the 2024 report of seed 004): 1,681 duty items of
//     2024 over the 201 villages, each on the list of a sitting cadre of its
//     village (85% done); 169 distinct cadres with a REWARD carrying an
//     amount, 712,000 yuan in all (over 70万元); 17 distinct people rewarded
//     先进个人 at PROVINCE (自治区) or CITY level, among the 169; and every
//     secretary's 述职评议 of 2023 and 2024, ranked 1…N among the
//     secretaries of their township by score;
//   - cooperatives (seed 004): 64 villages whose current secretary carries
//     COOPERATIVE_LEADER (the branch runs the village's cooperative);
//   - a 村党组织书记培训班 of 2023 (40 hours) and of 2024 (36 hours),
//     organized by the banner, with the secretaries seated when it starts
//     enrolled: most complete it (credited the class's hours), about one in
//     ten completes only 16 or 24 hours (under the 32-hour minimum), a few
//     do not finish.
//
// 沙市区 (421002), after the 2024-08-22 荆州日报 report:
//   - 42 HONORARY_SECRETARY appointments (one village each) and 96
//     DEVELOPMENT_ADVISER appointments on its villages, all open-ended;
//   - every appointment has monthly contact logs over the last months before
//     the as-of day; exactly 8 are overdue (latest contact more than 30 days
//     before the as-of day);
//   - contributions credited to appointments: 17 INVESTMENT_LEAD, 13
//     SITE_VISIT, 4 PROJECT_LANDED, and FUNDS summing to 10,300,000 yuan;
//     assignments have a few of their own. The advisers' are outcome
//     chains (follows_id): each visit follows a lead of the same
//     appointment and village, each project a visit, each of the six
//     tranches of funds a project, never earlier, all before the report;
//   - the 2024 资格联审 (round 2024年村（社区）“两委”干部调整优化): 40 ENTRY
//     candidacies for COMMITTEE_MEMBER in its villages, each concluded by
//     the district's 联审 before the report, with every step its state
//     has taken (村级初审, 镇级复审, the opinions of DISCIPLINE,
//     PUBLIC_SECURITY and PETITION, the conclusion, 任命, 备案): 31 FILED,
//     4 APPOINTED and not yet filed, 3 JOINT_REVIEWED waiting for their
//     补选, 2 REFUSED at COUNTY_DECISION with the refusing body's reason.
//     An appointment is on the candidate's post: the reserves who entered
//     a committee in 2024 keep theirs, newcomers get one;
//   - 20 科技特派员: distinct experts holding an open-ended ExpertAssignment on
//     a region of the subtree, from 长江大学, 华中农业大学, 湖北省农业科学院 and
//     荆州市农业科学院, with service records (3 of them none in the last 90
//     days) and demands in the fields of vocab.AgriculturalFields, 14 matched
//     (3 of those done), 12 open (7 raised more than 60 days ago);
//   - 99 reserves selected over time, of whom 25 have since entered the
//     committees (an ended RESERVE_CADRE post, then a COMMITTEE_MEMBER post);
//   - 跟班学习 (seed 001): a SHADOWING class organized by 沙市区 with 5
//     enrolments, the five secretaries who shadowed the 名师工作室 masters;
//     and the yearly 村书记培训班 of 2023 and 2024 as in 土默特右旗.
//
// 吴忠市 (6403), after the Ningxia report. The term comparison is each
// county's 2021 term (2021年村“两委”换届) against its 2018 term, the teams
// being the secretaries (PARTY_SECRETARY or SECRETARY_AND_DIRECTOR) in force
// on the county's election day (start on or before it, end open or on or
// after it); the counties' days differ by a few days. Education and tags are
// read as of that day (the person_attributes period covering it, else the
// column):
//   - secretaries in force on the 2021 days: 497; on the 2018 days: 509 (every
//     village; the 12 left vacant in 2021 are vacant since); all 497 are still
//     current (end_date NULL) today;
//   - average age in completed years on the county's day: 1.5 lower than the
//     2018 term's (44.54 against 46.04);
//   - 大专及以上 +25%, read as percentage points: 259/497 − 138/509 = +0.250.
//     Twelve 2021 secretaries took a degree after the election (学历提升,
//     EDUCATION periods; their column says 大专), so today's column would
//     give 271 — the as-of reading matters; some re-elected secretaries took
//     theirs during the 2018 term;
//   - 一肩挑 (SECRETARY_AND_DIRECTOR) +34.6 points: 336/497 − 168/509;
//   - 致富带头人: 272 of the 497 (54.7%) tagged RICH_LEADER;
//   - 290 re-elected (连任: a 2018-term post ending the day before the 2021
//     election, exit_kind TERM_ENDED, and a new post from the day), 18 of
//     them aged 60 or more on the day; 207 new, every 2021 post starting on
//     the county's day;
//   - 146 secretaries adjusted: 2018-term posts ending the day before the
//     2021 election with exit_kind ADJUSTED and end_reason 调整不适应不胜任;
//     the other leavers' posts end then with TERM_ENDED;
//   - resident cadres: distinct people with a current FIRST_SECRETARY or
//     WORK_TEAM_MEMBER post in the subtree: 510 (170 teams of one first
//     secretary and two members, 省派/市派/县派, grouped into 片区). Each
//     team is a ResidentTeam of its village whose members are those posts
//     (team_id), led by the first secretary, with their dispatch level,
//     sending unit and start; each 片区 (the cluster of the posts: the
//     townships of a county three by three) is a ResidentArea of the
//     county with all the villages of its townships, its teams, a
//     临时党支部 and as 组长 the first secretary of its highest-level
//     team; those in post before July 2023 have a 2023 ANNUAL
//     ResidentAssessment.
//
// 魏县 (130434) and 保定市 (1306) get a lighter population: secretaries,
// committee members and reserves in a subset of villages with 青蓝结对
// mentoring, and in 保定 农业科技特派员 from 河北农业大学, 中国农业大学 and
// 河北省农林科学院 with demands (樱桃, 肉牛, 小麦 …) and 师带徒 apprentices.
//
// 魏县 also stands for seed 000's unnamed district (全区):
//   - 雏鹰计划: one YOUNG_EAGLE class organized by 魏县, 2022-03-01 to
//     2023-12-31, with 85 young cadres (committee members aged 40 or less and
//     reserves selected before it); 15 of them, 书记培养对象, succeeded their
//     village's secretary (promoted: exit_kind TRANSFERRED) between 2023-03
//     and 2024-10 and hold the seat on the as-of day and today;
//   - 蹲点学习: 30 distinct sitting secretaries in two ON_SITE_STUDY classes,
//     15 in 杭州 and 15 in 成都 (2024);
//   - 届中审计: every village with a secretary in the autumn of 2023 has one
//     MID_TERM OfficeAudit that autumn, of the secretary in office that day,
//     most findings rectified;
//   - 驻村干部: 18 市派 and 78 区派 resident cadres (counted over the
//     cadres' current FIRST_SECRETARY and WORK_TEAM_MEMBER posts, as the
//     report counts people: 18 CITY, 78 COUNTY — the district's own level),
//     in 6 + 26 teams of three since the rotation of May 2023, in 片区 as in
//     吴忠, with their 2023 年度考核 and 2024's quarterly 平时考核.
//
// Terms: every county with demo villages has its 2018 and 2021 换届 (ent
// Term, 第十一届 and 第十二届), one day per county; the posts taken at the
// 2021 换届 start on that day.
//
// Mentoring runs down generations (retired secretary → secretary → committee
// member → reserve, up to four generations), with x+N groups (one secretary,
// several mentees across a township) and some mentorships past their end date
// but still ACTIVE; a mentor always belongs to an earlier generation than the
// mentee, so no lineage has a cycle.
//
// # Load tests (Generate)
//
// Generate writes N synthetic people over every imported village-level region
// with COPY on PostgreSQL and multi-row INSERTs on SQLite; see Generate.
package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"yanzhen/database"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
)

// ExternalIDPrefix marks every record Seed writes.
const ExternalIDPrefix = "DEMO-"

// DefaultAsOf is the day the demo population describes: ages, current posts
// and overdue contacts are measured on it.
var DefaultAsOf = date(2024, time.December, 31)

// seed is the fixed seed of every random generator Seed uses.
const seed = 20241231

// The seed areas and their codes.
const (
	TumedRight = "150221" // 土默特右旗
	Shashi     = "421002" // 沙市区
	Weixian    = "130434" // 魏县
	Wuzhong    = "6403"   // 吴忠市
	Baoding    = "1306"   // 保定市
)

// Options tune Seed.
type Options struct {
	// AsOf is the day the population describes; zero means DefaultAsOf.
	// It may not be earlier: the population's history runs up to late 2024.
	AsOf time.Time
	// Progress, when set, receives one line per stage.
	Progress io.Writer
}

// Summary tells what Seed wrote.
type Summary struct {
	// AlreadyPresent is true when demo data was found and nothing was written.
	AlreadyPresent bool
	AsOf           time.Time

	Institutions   int
	People         int
	Posts          int
	Mentorships    int
	Appointments   int
	ContactLogs    int
	Demands        int
	Assignments    int
	ServiceRecords int
	Contributions  int
	Terms          int
	Classes        int
	Enrolments     int
	ResidentTeams  int
	ResidentAreas  int
	Candidacies    int
	Duration       time.Duration
}

func (s Summary) String() string {
	if s.AlreadyPresent {
		return "demo: the demo population is already present — nothing to do"
	}
	return fmt.Sprintf("demo: %d people, %d posts, %d mentorships, %d adviser appointments with %d contact logs, "+
		"%d institutions, %d expert assignments with %d service records, %d demands, %d contributions, "+
		"%d terms, %d training classes with %d enrolments, %d resident teams in %d 片区, %d candidacies (as of %s, in %s)",
		s.People, s.Posts, s.Mentorships, s.Appointments, s.ContactLogs, s.Institutions, s.Assignments,
		s.ServiceRecords, s.Demands, s.Contributions, s.Terms, s.Classes, s.Enrolments,
		s.ResidentTeams, s.ResidentAreas, s.Candidacies,
		s.AsOf.Format(time.DateOnly), s.Duration.Round(time.Millisecond))
}

// Seed writes the demo population. It refuses when a seed area's regions are
// missing (import the regions first) and does nothing when demo data is
// already there.
func Seed(ctx context.Context, db *database.DB, opts Options) (Summary, error) {
	started := time.Now()
	asOf := opts.AsOf
	if asOf.IsZero() {
		asOf = DefaultAsOf
	}
	asOf = date(asOf.Year(), asOf.Month(), asOf.Day())
	sum := Summary{AsOf: asOf}
	if asOf.Before(DefaultAsOf) {
		return sum, fmt.Errorf("demo: the as-of day %s is before %s, where the demo's history ends", asOf.Format(time.DateOnly), DefaultAsOf.Format(time.DateOnly))
	}
	logf := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, format+"\n", args...)
		}
	}

	tx, err := db.Client.Tx(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	present, err := tx.Person.Query().Where(person.ExternalIDHasPrefix(ExternalIDPrefix)).Exist(ctx)
	if err != nil {
		return sum, fmt.Errorf("looking for demo data: %w", err)
	}
	if present {
		sum.AlreadyPresent = true
		logf("%s", sum)
		return sum, nil
	}

	areas := map[string]*area{}
	for _, code := range []string{TumedRight, Shashi, Wuzhong, Weixian, Baoding} {
		a, err := loadArea(ctx, tx.Client(), code)
		if err != nil {
			return sum, err
		}
		areas[code] = a
	}
	p := newPlan(asOf)
	ids := &uniques{ids: map[string]bool{}, phones: map[string]bool{}}
	builders := []struct {
		code  string
		build func(*plan, *area, *factory) error
	}{
		{TumedRight, buildTumedRight},
		{Shashi, buildShashi},
		{Wuzhong, buildWuzhong},
		{Weixian, buildWeixian},
		{Baoding, buildBaoding},
	}
	for i, b := range builders {
		r := rand.New(rand.NewPCG(seed, uint64(i+1)))
		f := newFactory(r, asOf, ExternalIDPrefix+"P-"+b.code+"-", ids)
		if err := b.build(p, areas[b.code], f); err != nil {
			return sum, err
		}
		logf("demo: planned %s (%s)", areas[b.code].root.Name, b.code)
	}
	if err := buildWorkflows(p, areas, ids); err != nil {
		return sum, err
	}
	logf("demo: planned the workflows")
	if err := p.resolveInstitutions(ctx, tx.Client()); err != nil {
		return sum, err
	}
	if err := p.check(); err != nil {
		return sum, err
	}
	if err := p.write(ctx, tx); err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return sum, fmt.Errorf("demo: committing: %w", err)
	}
	sum.Institutions = len(p.institutions)
	sum.People = len(p.people)
	sum.Posts = len(p.posts)
	sum.Mentorships = len(p.mentorships)
	sum.Appointments = len(p.appointments)
	sum.ContactLogs = len(p.contacts)
	sum.Demands = len(p.demands)
	sum.Assignments = len(p.assignments)
	sum.ServiceRecords = len(p.services)
	sum.Contributions = len(p.contributions)
	sum.Terms = len(p.terms)
	sum.Classes = len(p.classes)
	sum.Enrolments = len(p.enrolments)
	sum.ResidentTeams = len(p.residentTeams)
	sum.ResidentAreas = len(p.residentAreas)
	sum.Candidacies = len(p.candidacies)
	sum.Duration = time.Since(started)
	logf("%s", sum)
	return sum, nil
}

// place is a region as the planner needs it.
type place struct {
	ID       int
	Code     string
	Name     string
	ParentID int
	Level    region.Level
	Kind     region.Kind
}

// area is a seed area: its root region, its counties, townships and villages
// (kind VILLAGE; communities are left out), all in code order.
type area struct {
	root      *place
	counties  []*place
	townships []*place
	villages  []*place
	byID      map[int]*place
	// villagesOf lists the villages of each township.
	villagesOf map[int][]*place
}

func loadArea(ctx context.Context, c *ent.Client, code string) (*area, error) {
	rows, err := c.Region.Query().Where(regioncode.Within(code)).Order(ent.Asc(region.FieldCode)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: loading the regions of %s: %w", code, err)
	}
	a := &area{byID: map[int]*place{}, villagesOf: map[int][]*place{}}
	for _, r := range rows {
		pl := &place{ID: r.ID, Code: r.Code, Name: r.Name, Level: r.Level}
		if r.ParentID != nil {
			pl.ParentID = *r.ParentID
		}
		if r.Kind != nil {
			pl.Kind = *r.Kind
		}
		a.byID[r.ID] = pl
		switch {
		case r.Code == code:
			a.root = pl
		case r.Level == region.LevelCOUNTY:
			a.counties = append(a.counties, pl)
		case r.Level == region.LevelTOWNSHIP:
			a.townships = append(a.townships, pl)
		case r.Level == region.LevelVILLAGE && pl.Kind != region.KindCOMMUNITY:
			a.villages = append(a.villages, pl)
			a.villagesOf[pl.ParentID] = append(a.villagesOf[pl.ParentID], pl)
		}
	}
	if a.root == nil || len(a.villages) == 0 {
		return nil, fmt.Errorf("demo: the regions of %s and its villages are missing; import the regions first (yanzhen import regions) / 缺少区划 %s 及其村，请先导入区划", code, code)
	}
	if a.root.Level == region.LevelCOUNTY {
		a.counties = []*place{a.root}
	}
	return a, nil
}

// county returns the county a region belongs to.
func (a *area) county(pl *place) *place {
	for pl != nil && pl.Level != region.LevelCOUNTY {
		pl = a.byID[pl.ParentID]
	}
	return pl
}

// need fails unless the area has at least n villages.
func (a *area) need(n int) error {
	if len(a.villages) < n {
		return fmt.Errorf("demo: %s (%s) has %d villages, the demo needs %d; import the full extract / 区划不完整",
			a.root.Name, a.root.Code, len(a.villages), n)
	}
	return nil
}

// resolveInstitutions looks up the home regions of the partner institutions
// by code; an institution whose region is not imported gets none.
func (p *plan) resolveInstitutions(ctx context.Context, c *ent.Client) error {
	for _, in := range p.institutions {
		if in.regionCode == "" {
			continue
		}
		r, err := c.Region.Query().Where(region.Code(in.regionCode)).Only(ctx)
		if ent.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo: looking up region %s: %w", in.regionCode, err)
		}
		in.RegionID = r.ID
	}
	return nil
}

// sample returns k distinct elements of xs chosen at random, in their
// original order.
func sample[T any](r *rand.Rand, xs []T, k int) []T {
	idx := r.Perm(len(xs))[:k]
	sort.Ints(idx)
	out := make([]T, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// spread splits total into n parts within [lo, hi], starting from random
// parts and nudging single parts until the sum is exact.
func spread(r *rand.Rand, total, n, lo, hi int) []int {
	for total > n*hi {
		hi++
	}
	for total < n*lo && lo > 0 {
		lo--
	}
	parts := make([]int, n)
	sum := 0
	for i := range parts {
		parts[i] = lo + r.IntN(hi-lo+1)
		sum += parts[i]
	}
	for sum != total {
		i := r.IntN(n)
		if sum < total && parts[i] < hi {
			parts[i]++
			sum++
		} else if sum > total && parts[i] > lo {
			parts[i]--
			sum--
		}
	}
	return parts
}
