package roster

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/assessment"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/privacy"
	"yanzhen/ent/reward"
	"yanzhen/ent/starrating"
	"yanzhen/ent/term"
	"yanzhen/ent/trainingclass"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/rules"
)

// Validation of the sheets of the work cycle (issue 13): 年度考核, 履职清单,
// 奖惩, 星级评定, 审计, 换届, 培训班次, 培训学员. None has a number of its own:
// a row is the record on file with the same key (an assessment: person and
// year; a duty item: person, year and task; a reward: person, date and
// title; a star rating: village and year; an audit: village, kind and date;
// a term: county and day; a class: organizing region, name and start; an
// enrolment: class and person), so an export re-imports onto its records.
// What the key holds, and where a record is kept, cannot change.

// anyLevel is where a reward or punishment may be recorded: where the
// person serves, at any level.
var anyLevel = rules.Site{English: "a reward", Chinese: "奖惩记录地区",
	Levels: rules.Levels{rules.Province, rules.City, rules.County, rules.Township, rules.Village}}

// year reads a four-digit year and checks it with rules.CheckYear.
func (c *cells) year(col string) int {
	n := c.count(col)
	if n == nil {
		return 0
	}
	if v := rules.CheckYear("year", int(*n), time.Now()); v != nil {
		c.broke(col, strconv.FormatInt(*n, 10), v)
		return 0
	}
	return int(*n)
}

// decimal reads a number ≥ 0 that may have decimals (a score, hours).
func (c *cells) decimal(col string) *float64 {
	v := c.text(col, 0)
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		c.failAs(KindBadNumber, col, v, "应为不小于 0 的数", "not a number ≥ 0")
		return nil
	}
	return &f
}

// recordDate reads a date that must have come (rules.CheckRecordDate).
func (c *cells) recordDate(col string) *time.Time {
	d := c.date(col)
	if d != nil {
		if v := rules.CheckRecordDate("date", *d, time.Now()); v != nil {
			c.broke(col, day(*d), v)
			return nil
		}
	}
	return d
}

// fixedOnFile reports a row whose record on file is kept elsewhere.
func (c *cells) fixedOnFile(col, value, what string) {
	c.failAs(KindFixedOnFile, col, value, "库中此"+what+"记录所在地区不同，不能修改", "the "+what+" on file is kept in another region; that cannot be changed")
}

// personOf resolves the row's 人员编号 (required unless optional).
func (imp *importer) personOf(c *cells, optional bool) ref {
	no := c.key(colPersonNo)
	if no == "" {
		if !optional {
			c.bad = true
		}
		return ref{}
	}
	p := imp.personRef(c.s, c.r.Line, colPersonNo, no)
	if !p.ok() {
		c.bad = true
	}
	return p
}

// regionOf resolves the row's region column for a site.
func (imp *importer) regionOf(c *cells, col string, site rules.Site) int {
	code := c.regionCode(col)
	id, ok := imp.region(c.s, c.r.Line, col, code, site)
	if !ok {
		c.bad = true
	}
	return id
}

func ftext(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func itext(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func asInt(n *int64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// personIDs are the IDs of the people on file that good rows name.
func personIDs[R any](xs []R, bad func(R) bool, p func(R) ref) []int {
	var ids []int
	for _, x := range xs {
		if r := p(x); !bad(x) && r.ok() && r.ID() != 0 {
			ids = append(ids, r.ID())
		}
	}
	return uniq(ids)
}

// onFileKeys loads the records of a kind by a column's values twice: as
// the importer sees them, and all of them (internal), so that a record out
// of the importer's sight that the unique rule would refuse is a row
// problem, not a failed write.
func onFileKeys[T any](imp *importer, ids []int, q func(ctx []int, internal bool) ([]T, error), key func(T) string) (seen, all map[string]T, err error) {
	seen, all = map[string]T{}, map[string]T{}
	err = chunked(ids, chunk, func(ids []int) error {
		xs, err := q(ids, false)
		if err != nil {
			return err
		}
		for _, x := range xs {
			seen[key(x)] = x
		}
		xs, err = q(ids, true)
		for _, x := range xs {
			all[key(x)] = x
		}
		return err
	})
	return seen, all, err
}

// --- 年度考核 ---

type assessmentRec struct {
	rec
	person         ref
	regionID, year int
	grade          string
	score          *float64
	rank, among    *int
	rankScope      string
	pledge, notes  string
	old            *ent.Assessment
}

func (imp *importer) assessmentsSheet() error {
	s := imp.sheets[Assessments]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &assessmentRec{rec: rec{line: r.Line}}
		x.person = imp.personOf(c, false)
		x.regionID = imp.regionOf(c, colRegion, rules.AssessmentSite)
		x.year = c.year(colYear)
		x.grade = c.word(colGrade, grades)
		x.score = c.decimal(colScore)
		x.rank, x.among = asInt(c.count(colRank)), asInt(c.count(colRankedAmong))
		x.rankScope = c.word(colRankScope, rankScopes)
		x.pledge, x.notes = c.text(colPledge, 0), c.text(colNotes, 0)
		if x.year != 0 {
			if v := rules.CheckAssessment(x.year, x.score, x.rank, x.among, x.rankScope != "", time.Now()); v != nil {
				col := map[string]string{"reviewScore": colScore, "rank": colRank}[v.Field]
				if col == "" {
					col = colYear
				}
				c.broke(col, c.s.get(r, col), v)
			}
		}
		x.bad = c.bad || x.year == 0
		imp.assessments = append(imp.assessments, x)
	}
	ids := personIDs(imp.assessments, func(x *assessmentRec) bool { return x.bad }, func(x *assessmentRec) ref { return x.person })
	key := func(person any, year int) string { return fmt.Sprint(person, "|", year) }
	seen, all, err := onFileKeys(imp, ids, func(ids []int, internal bool) ([]*ent.Assessment, error) {
		ctx := imp.ctx
		if internal {
			ctx = privacy.DecisionContext(ctx, privacy.Allow)
		}
		return imp.c.Assessment.Query().Where(assessment.PersonIDIn(ids...)).All(ctx)
	}, func(a *ent.Assessment) string { return key(a.PersonID, a.Year) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.assessments {
		if x.bad {
			continue
		}
		k := key(x.person.node(), x.year)
		second := &rules.Violation{Code: rules.SecondAssessment, Field: "year", Args: []any{x.year}}
		if prev, dup := rows[k]; dup {
			imp.violation(s, x.line, colYear, strconv.Itoa(x.year), second)
			imp.rep.Problems[len(imp.rep.Problems)-1].Text.Zh += fmt.Sprintf("（与第%d行重复）", prev)
			imp.rep.Problems[len(imp.rep.Problems)-1].Text.En += fmt.Sprintf(" (as row %d)", prev)
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if x.person.ID() == 0 {
			continue
		}
		k = key(x.person.ID(), x.year)
		o := seen[k]
		if o == nil {
			if all[k] != nil {
				imp.violation(s, x.line, colYear, strconv.Itoa(x.year), second)
				x.bad = true
			}
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if o.RegionID != x.regionID {
			// Held by another region: a second assessment, as the hook says.
			imp.violation(s, x.line, colYear, strconv.Itoa(x.year), second)
			x.bad = true
			continue
		}
		if string(o.Grade) != x.grade || (x.score != nil && !ptrEq(x.score, o.ReviewScore)) ||
			(x.rank != nil && !ptrEq(x.rank, o.Rank)) || (x.among != nil && !ptrEq(x.among, o.RankedAmong)) ||
			(x.rankScope != "" && (o.RankScope == nil || string(*o.RankScope) != x.rankScope)) ||
			(x.pledge != "" && x.pledge != o.Pledge) || (x.notes != "" && x.notes != o.Notes) {
			x.action = update
		}
	}
	return nil
}

// --- 履职清单 ---

type dutyRec struct {
	rec
	person              ref
	villageID, year     int
	task, kind, status  string
	deadline, completed *time.Time
	evidence, reviewer  string
	old                 *ent.DutyItem
}

func (imp *importer) dutyItemsSheet() error {
	s := imp.sheets[DutyItems]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &dutyRec{rec: rec{line: r.Line}}
		x.person = imp.personOf(c, false)
		x.villageID = imp.regionOf(c, colVillage, rules.DutySite)
		x.year = c.year(colYear)
		x.task = c.text(colTask, 0)
		x.kind = c.word(colKind, dutyKinds)
		x.deadline = c.date(colDeadline)
		x.status = c.word(colStatus, dutyStatuses)
		x.completed = c.date(colCompletedOn)
		x.evidence, x.reviewer = c.text(colEvidence, 0), c.text(colReviewedBy, 64)
		if x.year != 0 && x.completed != nil {
			c.broke(colCompletedOn, day(*x.completed), rules.CheckDutyItem(x.year, x.status == "DONE", x.completed, time.Now()))
		}
		x.bad = c.bad || x.year == 0
		imp.duties = append(imp.duties, x)
	}
	ids := personIDs(imp.duties, func(x *dutyRec) bool { return x.bad }, func(x *dutyRec) ref { return x.person })
	key := func(person any, year int, task string) string { return fmt.Sprint(person, "|", year, "|", task) }
	seen, _, err := onFileKeys(imp, ids, func(ids []int, internal bool) ([]*ent.DutyItem, error) {
		if internal {
			return nil, nil
		}
		return imp.c.DutyItem.Query().Where(dutyitem.PersonIDIn(ids...)).All(imp.ctx)
	}, func(d *ent.DutyItem) string { return key(d.PersonID, d.Year, d.Task) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.duties {
		if x.bad {
			continue
		}
		k := key(x.person.node(), x.year, x.task)
		if prev, dup := rows[k]; dup {
			imp.problemAs(KindDuplicateRow, s, x.line, colTask, x.task, fmt.Sprintf("与第%d行是同一履职事项（人员、年度、任务相同）", prev),
				fmt.Sprintf("the same duty item as row %d (person, year and task)", prev))
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if x.person.ID() == 0 {
			continue
		}
		o := seen[key(x.person.ID(), x.year, x.task)]
		if o == nil {
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if o.RegionID != x.villageID {
			c := &cells{imp: imp, s: s, r: rowAt(s, x.line)}
			c.fixedOnFile(colVillage, s.get(c.r, colVillage), "履职事项")
			x.bad = true
			continue
		}
		if string(o.Kind) != x.kind || (x.deadline != nil && !sameDay(x.deadline, o.Deadline)) ||
			(x.status != "" && string(o.Status) != x.status) || (x.completed != nil && !sameDay(x.completed, o.CompletedOn)) ||
			(x.evidence != "" && x.evidence != o.Evidence) || (x.reviewer != "" && x.reviewer != o.ReviewedBy) {
			x.action = update
		}
	}
	return nil
}

// --- 奖惩 ---

type rewardRec struct {
	rec
	person             ref
	regionID           int
	kind, title, level string
	date               time.Time
	amount             *int64
	docNo, notes       string
	old                *ent.Reward
}

func (imp *importer) rewardsSheet() error {
	s := imp.sheets[Rewards]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &rewardRec{rec: rec{line: r.Line}}
		x.person = imp.personOf(c, false)
		x.regionID = imp.regionOf(c, colRegion, anyLevel)
		x.kind = c.word(colKind, rewardKinds)
		x.title = c.text(colName, 64)
		x.level = c.word(colLevel, rewardLevels)
		if d := c.recordDate(colDate); d != nil {
			x.date = *d
		} else {
			c.bad = true
		}
		x.amount = c.count(colAmount)
		x.docNo, x.notes = c.text(colDocNo, 64), c.text(colNotes, 0)
		x.bad = c.bad
		imp.rewards = append(imp.rewards, x)
	}
	ids := personIDs(imp.rewards, func(x *rewardRec) bool { return x.bad }, func(x *rewardRec) ref { return x.person })
	key := func(person any, date time.Time, title string) string {
		return fmt.Sprint(person, "|", day(date), "|", title)
	}
	seen, _, err := onFileKeys(imp, ids, func(ids []int, internal bool) ([]*ent.Reward, error) {
		if internal {
			return nil, nil
		}
		return imp.c.Reward.Query().Where(reward.PersonIDIn(ids...)).All(imp.ctx)
	}, func(x *ent.Reward) string { return key(x.PersonID, utcDay(x.Date), x.Title) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.rewards {
		if x.bad {
			continue
		}
		k := key(x.person.node(), x.date, x.title)
		if prev, dup := rows[k]; dup {
			imp.problemAs(KindDuplicateRow, s, x.line, colName, x.title, fmt.Sprintf("与第%d行是同一奖惩（人员、日期、名称相同）", prev),
				fmt.Sprintf("the same reward or punishment as row %d (person, date and title)", prev))
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if x.person.ID() == 0 {
			continue
		}
		o := seen[key(x.person.ID(), x.date, x.title)]
		if o == nil {
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if o.RegionID != x.regionID {
			c := &cells{imp: imp, s: s, r: rowAt(s, x.line)}
			c.fixedOnFile(colRegion, s.get(c.r, colRegion), "奖惩")
			x.bad = true
			continue
		}
		if string(o.Kind) != x.kind || string(o.Level) != x.level || (x.amount != nil && !ptrEq(x.amount, o.AmountYuan)) ||
			(x.docNo != "" && x.docNo != o.DocumentNo) || (x.notes != "" && x.notes != o.Notes) {
			x.action = update
		}
	}
	return nil
}

// --- 星级评定 ---

type starRec struct {
	rec
	villageID, year, stars int
	title, ratedBy         string
	date                   *time.Time
	old                    *ent.StarRating
}

func (imp *importer) starRatingsSheet() error {
	s := imp.sheets[StarRatings]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &starRec{rec: rec{line: r.Line}}
		x.villageID = imp.regionOf(c, colVillage, rules.StarRating)
		x.year = c.year(colYear)
		if w := c.word(colStars, starWords); w != "" {
			x.stars, _ = strconv.Atoi(w)
		}
		x.title, x.ratedBy = c.text(colName, 64), c.text(colRatedBy, 128)
		x.date = c.recordDate(colDate)
		x.bad = c.bad || x.year == 0
		imp.stars = append(imp.stars, x)
	}
	var ids []int
	for _, x := range imp.stars {
		if !x.bad {
			ids = append(ids, x.villageID)
		}
	}
	key := func(village, year int) string { return fmt.Sprint(village, "|", year) }
	seen, all, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.StarRating, error) {
		ctx := imp.ctx
		if internal {
			ctx = privacy.DecisionContext(ctx, privacy.Allow)
		}
		return imp.c.StarRating.Query().Where(starrating.VillageIDIn(ids...)).All(ctx)
	}, func(x *ent.StarRating) string { return key(x.VillageID, x.Year) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.stars {
		if x.bad {
			continue
		}
		k := key(x.villageID, x.year)
		if prev, dup := rows[k]; dup {
			imp.problemAs(KindDuplicateRow, s, x.line, colYear, strconv.Itoa(x.year), fmt.Sprintf("与第%d行是同一村同一年度的星级评定（一村一年一条）", prev),
				fmt.Sprintf("the same village and year as row %d (one rating per village and year)", prev))
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		o := seen[k]
		if o == nil {
			if all[k] != nil {
				imp.problemAs(KindDuplicateRow, s, x.line, colYear, strconv.Itoa(x.year), "该村该年度已有星级评定", "the village already has a star rating for this year")
				x.bad = true
			}
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if o.Stars != x.stars || (x.title != "" && x.title != o.Title) || (x.ratedBy != "" && x.ratedBy != o.RatedBy) ||
			(x.date != nil && !sameDay(x.date, o.Date)) {
			x.action = update
		}
	}
	return nil
}

// --- 审计 ---

type auditRec struct {
	rec
	villageID          int
	person             ref
	kind, status       string
	date               time.Time
	findings, followUp string
	old                *ent.OfficeAudit
}

func (imp *importer) officeAuditsSheet() error {
	s := imp.sheets[OfficeAudits]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &auditRec{rec: rec{line: r.Line}}
		x.villageID = imp.regionOf(c, colVillage, rules.OfficeAudit)
		x.person = imp.personOf(c, true)
		x.kind = c.word(colKind, auditKinds)
		if d := c.recordDate(colDate); d != nil {
			x.date = *d
		} else {
			c.bad = true
		}
		x.findings, x.followUp = c.text(colFindings, 0), c.text(colFollowUp, 0)
		x.status = c.word(colStatus, auditStatuses)
		x.bad = c.bad
		imp.audits = append(imp.audits, x)
	}
	var ids []int
	for _, x := range imp.audits {
		if !x.bad {
			ids = append(ids, x.villageID)
		}
	}
	key := func(village int, kind string, date time.Time) string {
		return fmt.Sprint(village, "|", kind, "|", day(date))
	}
	seen, _, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.OfficeAudit, error) {
		if internal {
			return nil, nil
		}
		return imp.c.OfficeAudit.Query().Where(officeaudit.RegionIDIn(ids...)).All(imp.ctx)
	}, func(x *ent.OfficeAudit) string { return key(x.RegionID, string(x.Kind), utcDay(x.Date)) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.audits {
		if x.bad {
			continue
		}
		k := key(x.villageID, x.kind, x.date)
		if prev, dup := rows[k]; dup {
			imp.problemAs(KindDuplicateRow, s, x.line, colDate, day(x.date), fmt.Sprintf("与第%d行是同一审计（村、类型、日期相同）", prev),
				fmt.Sprintf("the same audit as row %d (village, kind and date)", prev))
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		o := seen[k]
		if o == nil {
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if (x.person.ok() && (x.person.ID() == 0 || !ptrEq(idOf(x.person), o.PersonID))) || x.findings != o.Findings ||
			(x.followUp != "" && x.followUp != o.FollowUp) || (x.status != "" && x.status != string(o.Status)) {
			x.action = update
		}
	}
	return nil
}

// --- 换届 ---

type termRec struct {
	rec
	countyID    int
	number      *int
	name, notes string
	electedOn   time.Time
	old         *ent.Term
}

func (imp *importer) termsSheet() error {
	s := imp.sheets[Terms]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &termRec{rec: rec{line: r.Line}}
		x.countyID = imp.regionOf(c, colRegion, rules.TermSite)
		if n := c.count(colTermNo); n != nil {
			if *n == 0 {
				c.failAs(KindBadNumber, colTermNo, "0", "届次应为正整数", "a term number is a whole number ≥ 1")
			} else {
				x.number = asInt(n)
			}
		}
		x.name, x.notes = c.text(colName, 64), c.text(colNotes, 0)
		if d := c.recordDate(colElectedOn); d != nil {
			x.electedOn = *d
		} else {
			c.bad = true
		}
		x.bad = c.bad
		imp.terms = append(imp.terms, x)
	}
	var ids []int
	for _, x := range imp.terms {
		if !x.bad {
			ids = append(ids, x.countyID)
		}
	}
	key := func(county int, d time.Time) string { return fmt.Sprint(county, "|", day(d)) }
	seen, all, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.Term, error) {
		ctx := imp.ctx
		if internal {
			ctx = privacy.DecisionContext(ctx, privacy.Allow)
		}
		return imp.c.Term.Query().Where(term.RegionIDIn(ids...)).All(ctx)
	}, func(x *ent.Term) string { return key(x.RegionID, utcDay(x.ElectedOn)) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.terms {
		if x.bad {
			continue
		}
		k := key(x.countyID, x.electedOn)
		second := &rules.Violation{Code: rules.SecondTerm, Field: "electedOn", Args: []any{day(x.electedOn)}}
		if _, dup := rows[k]; dup {
			imp.violation(s, x.line, colElectedOn, day(x.electedOn), second)
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		o := seen[k]
		if o == nil {
			if all[k] != nil {
				imp.violation(s, x.line, colElectedOn, day(x.electedOn), second)
				x.bad = true
			}
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if x.name != o.Name || (x.number != nil && !ptrEq(x.number, o.Number)) || (x.notes != "" && x.notes != o.Notes) {
			x.action = update
		}
	}
	return nil
}

// --- 培训班次 ---

type classRec struct {
	rec
	regionID              int
	name, kind, organizer string
	place, notes          string
	starts                time.Time
	ends                  *time.Time
	hours                 *float64
	old                   *ent.TrainingClass
}

// classKey names a class as the 培训学员 sheet does: its name and start.
func classKey(name string, starts time.Time) string { return name + "|" + day(starts) }

func (imp *importer) trainingClassesSheet() error {
	s := imp.sheets[TrainingClasses]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &classRec{rec: rec{line: r.Line}}
		x.name = c.text(colClassName, 128)
		// A class held above the importer (a province's, which their
		// trainees attend) may come back unchanged in their export: the
		// scope is checked once the row is matched (below).
		site := rules.TrainingSite
		site.Directory = true
		x.regionID = imp.regionOf(c, colRegion, site)
		x.kind = c.word(colKind, classKinds)
		x.organizer, x.place = c.text(colOrganizer, 128), c.text(colPlace, 128)
		start := c.date(colStart)
		x.ends = c.date(colEnd)
		x.hours = c.decimal(colHours)
		x.notes = c.text(colNotes, 0)
		if start == nil {
			c.bad = true
		} else {
			x.starts = *start
			if v := rules.CheckTrainingClass(x.starts, x.ends, x.hours); v != nil {
				col := colEnd
				if v.Field == "hours" {
					col = colHours
				}
				c.broke(col, c.s.get(r, col), v)
			}
		}
		x.bad = c.bad
		imp.classes = append(imp.classes, x)
	}
	var ids []int
	for _, x := range imp.classes {
		if !x.bad {
			ids = append(ids, x.regionID)
		}
	}
	key := func(region int, name string, starts time.Time) string {
		return fmt.Sprint(region, "|", classKey(name, starts))
	}
	seen, _, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.TrainingClass, error) {
		if internal {
			return nil, nil
		}
		return imp.c.TrainingClass.Query().Where(trainingclass.RegionIDIn(ids...)).All(imp.ctx)
	}, func(x *ent.TrainingClass) string { return key(x.RegionID, x.Name, utcDay(x.StartsOn)) })
	if err != nil {
		return err
	}
	for _, x := range imp.classes {
		k := classKey(x.name, x.starts)
		if x.bad {
			// Its rows in 培训学员 name it still: the problem is the class's.
			if x.name != "" && !x.starts.IsZero() && imp.classByKey[k] == nil {
				imp.classByKey[k] = x
			}
			continue
		}
		if prev := imp.classByKey[k]; prev != nil {
			imp.problemAs(KindDuplicateRow, s, x.line, colClassName, x.name, fmt.Sprintf("与第%d行是同一班次（名称、开始日期相同）", prev.line),
				fmt.Sprintf("the same class as row %d (name and start date)", prev.line))
			x.bad = true
			continue
		}
		imp.classByKey[k] = x
		x.action = create
		if o := seen[key(x.regionID, x.name, x.starts)]; o != nil {
			x.old, x.id, x.action = o, o.ID, unchanged
			if string(o.Kind) != x.kind || (x.organizer != "" && x.organizer != o.Organizer) || (x.place != "" && x.place != o.Place) ||
				(x.ends != nil && !sameDay(x.ends, o.EndsOn)) || (x.hours != nil && !ptrEq(x.hours, o.Hours)) ||
				(x.notes != "" && x.notes != o.Notes) {
				x.action = update
			}
		}
		if code := s.get(rowAt(s, x.line), colRegion); x.action != unchanged && !imp.covers(code) {
			imp.problemAs(KindOutOfScope, s, x.line, colRegion, code, "该区划不在您的管理范围内", "this region is outside your scope")
			x.bad = true
		}
	}
	return nil
}

// covers says whether the importer may write records of the region.
func (imp *importer) covers(code string) bool {
	v := auth.FromContext(imp.ctx)
	return v.System() || (v.Is(auth.RoleAdmin, auth.RoleTownship) && v.Covers(code))
}

// --- 培训学员 ---

type enrolRec struct {
	rec
	class, person ref
	regionID      int
	completed     *bool
	hours         *float64
	result        string
	old           *ent.TrainingEnrolment
}

func (imp *importer) trainingEnrolmentsSheet() error {
	s := imp.sheets[TrainingEnrolments]
	if s == nil {
		return nil
	}
	// The classes on file the rows name that the 培训班次 sheet does not.
	names := map[string]bool{}
	for _, r := range s.rows {
		if n := s.get(r, colClassName); n != "" {
			names[n] = true
		}
	}
	dbClass := map[string][]*ent.TrainingClass{}
	if err := chunked(keys(names), chunk, func(ns []string) error {
		cs, err := imp.c.TrainingClass.Query().Where(trainingclass.NameIn(ns...)).All(imp.ctx)
		for _, c := range cs {
			k := classKey(c.Name, utcDay(c.StartsOn))
			dbClass[k] = append(dbClass[k], c)
		}
		return err
	}); err != nil {
		return err
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &enrolRec{rec: rec{line: r.Line}}
		name := c.text(colClassName, 128)
		start := c.date(colClassStart)
		x.person = imp.personOf(c, false)
		x.regionID = imp.regionOf(c, colRegion, rules.EnrolmentSite)
		if w := c.word(colCompleted, yesNo); w != "" {
			b := w == "true"
			x.completed = &b
		}
		if x.hours = c.decimal(colHours); x.hours != nil {
			c.broke(colHours, ftext(x.hours), rules.CheckHours("hours", *x.hours))
		}
		x.result = c.text(colResult, 256)
		if name != "" && start != nil {
			k := classKey(name, *start)
			switch cs := dbClass[k]; {
			case imp.classByKey[k] != nil:
				x.class = ref{&imp.classByKey[k].id}
			case len(cs) == 1:
				x.class = dbRef(cs[0].ID)
			case len(cs) > 1:
				c.failAs(KindAmbiguousNumber, colClassName, name, "该名称和开始日期对应多个已有班次", "this name and start date match more than one class on file")
			default:
				c.failAs(KindUnknownReference, colClassName, name, "培训班次表和库中都没有此名称和开始日期的班次", "no class with this name and start date in the 培训班次 sheet or on file")
			}
		} else {
			c.bad = true
		}
		x.bad = c.bad
		imp.enrolments = append(imp.enrolments, x)
	}
	var ids []int
	for _, x := range imp.enrolments {
		if !x.bad && x.class.ID() != 0 {
			ids = append(ids, x.class.ID())
		}
	}
	key := func(class, person any) string { return fmt.Sprint(class, "|", person) }
	seen, all, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.TrainingEnrolment, error) {
		ctx := imp.ctx
		if internal {
			ctx = privacy.DecisionContext(ctx, privacy.Allow)
		}
		return imp.c.TrainingEnrolment.Query().Where(trainingenrolment.ClassIDIn(ids...)).All(ctx)
	}, func(x *ent.TrainingEnrolment) string { return key(x.ClassID, x.PersonID) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	second := &rules.Violation{Code: rules.SecondEnrolment, Field: "personID"}
	for _, x := range imp.enrolments {
		if x.bad {
			continue
		}
		r := rowAt(s, x.line)
		k := key(x.class.node(), x.person.node())
		if _, dup := rows[k]; dup {
			imp.violation(s, x.line, colPersonNo, s.get(r, colPersonNo), second)
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if x.class.ID() == 0 || x.person.ID() == 0 {
			continue
		}
		k = key(x.class.ID(), x.person.ID())
		o := seen[k]
		if o == nil {
			if all[k] != nil {
				imp.violation(s, x.line, colPersonNo, s.get(r, colPersonNo), second)
				x.bad = true
			}
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if o.RegionID != x.regionID {
			// Recorded elsewhere: a second enrolment, as the hook says.
			imp.violation(s, x.line, colPersonNo, s.get(r, colPersonNo), second)
			x.bad = true
			continue
		}
		if (x.completed != nil && *x.completed != o.Completed) || (x.hours != nil && !ptrEq(x.hours, o.Hours)) ||
			(x.result != "" && x.result != o.Result) {
			x.action = update
		}
	}
	return nil
}
