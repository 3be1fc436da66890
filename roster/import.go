package roster

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/ent"
	"yanzhen/errcode"
	"yanzhen/i18n"
	"yanzhen/pii"
	"yanzhen/regioncode"
	"yanzhen/rules"
	"yanzhen/vocab"
)

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun validates and counts what would change without writing.
	DryRun bool
	// Progress, when set, learns how far the import is: rows validated of
	// the workbook's rows, then rows written of those to write. It is
	// called from the importing goroutine, often (every few hundred rows
	// and at each phase's end): it must return quickly.
	Progress func(Progress)
	// BeforeCommit, when set, runs inside the write transaction after every
	// row is written, just before the commit, with the transaction's client
	// and the final report (Written already true). An error rolls the whole
	// import back. The import-job runner records the job's outcome here, so
	// that the roster and its job's status are committed together or not at
	// all. Not called when nothing is written (dry runs, no changes,
	// problems).
	BeforeCommit func(ctx context.Context, tx *ent.Client, rep *Report) error
	// Columns is the user's column mapping: which column of the format a
	// header the format does not know holds, which to ignore, which
	// format sheet a sheet is (see ColumnMapping and headers.go).
	Columns []ColumnMapping
	// Source names where the roster's 人员编号 come from (a county's own
	// numbering): each is kept as that source's key of the person
	// (PersonExternalKey), so several counties' numbers all match the
	// one file of a person. Empty: the importing account's region code;
	// empty too for the system and national admins, whose imports keep
	// only the legacy persons.external_id.
	Source string
	// Region is the county or township a flat roster (花名册) is about
	// (a region code): its villages, named by name, are looked for under
	// it, as under a township or county the sheet's title names. Empty: the
	// title, the 所在乡镇 column and the importer's scope say where.
	Region string
}

// maxSourceLen is the length of PersonExternalKey.source (ent/schema).
const maxSourceLen = 32

// Phase is the stage an import is in.
type Phase string

const (
	// Validating: rows are parsed and checked against the database.
	Validating Phase = "VALIDATING"
	// Writing: rows are written in the import's one transaction.
	Writing Phase = "WRITING"
)

// Progress is how far an import is: Done of Total rows in Phase.
type Progress struct {
	Phase       Phase
	Done, Total int
}

// progressEvery is how many rows pass between two progress reports.
const progressEvery = 200

// Import validates the whole workbook against the format and the rules of
// the graph (with what the database already holds), then writes it in one
// transaction. When anything is wrong it writes nothing and returns the
// report, listing every problem, with a BAD_USER_INPUT *errcode.Error.
// Importing the same roster again changes nothing.
//
// Only the system and admin or township users may import, and every region
// the roster names must lie in the user's scope; the ent privacy policies
// check each row written once more.
func Import(ctx context.Context, db *database.DB, wb *Workbook, opts ImportOptions) (*Report, error) {
	if v := auth.FromContext(ctx); !v.System() && !v.Is(auth.RoleAdmin, auth.RoleTownship) {
		return nil, auth.Deny(v)
	}
	imp := newImporter(ctx, db.Client)
	imp.rep.DryRun = opts.DryRun
	imp.progress = opts.Progress
	imp.beforeCommit = opts.BeforeCommit
	imp.mapping = opts.Columns
	imp.flatRegion = strings.TrimSpace(opts.Region)
	imp.source = strings.TrimSpace(opts.Source)
	if imp.source == "" {
		imp.source = auth.FromContext(ctx).Scope
	}
	if imp.flatRegion != "" && !regioncode.Valid(imp.flatRegion) {
		return nil, errcode.BadInput("region", "the region of a flat roster is a region code / 花名册的地区应为区划代码")
	}
	if utf8.RuneCountInString(imp.source) > maxSourceLen {
		return nil, errcode.BadInput("source", "a roster source has at most %d characters / 名册来源最多%d个字符", maxSourceLen, maxSourceLen)
	}
	if err := imp.validate(wb); err != nil {
		return imp.rep, err
	}
	if !imp.rep.OK() {
		return imp.rep, imp.rep.Err()
	}
	imp.count()
	if opts.DryRun || imp.rep.Changed() == 0 {
		return imp.rep, nil
	}
	imp.startPhase(Writing, imp.rep.Changed())
	if err := imp.write(); err != nil {
		return imp.rep, err
	}
	return imp.rep, nil
}

// startPhase reports the start of a phase of total rows.
func (imp *importer) startPhase(p Phase, total int) {
	imp.phase, imp.done, imp.total = p, 0, total
	imp.report()
}

// advance counts n more rows done, reporting every progressEvery rows and
// at the end of the phase.
func (imp *importer) advance(n int) {
	before := imp.done
	imp.done = min(imp.done+n, imp.total)
	if imp.done/progressEvery != before/progressEvery || imp.done == imp.total {
		imp.report()
	}
}

func (imp *importer) report() {
	if imp.progress != nil {
		imp.progress(Progress{Phase: imp.phase, Done: imp.done, Total: imp.total})
	}
}

// rowCells starts reading one row of a sheet (and counts it as validated).
func (imp *importer) rowCells(s *boundSheet, r Row) *cells {
	imp.advance(1)
	return &cells{imp: imp, s: s, r: r}
}

// action is what the import does with a row.
type action int

const (
	create action = iota
	update
	unchanged
)

// ref points at a record's database ID: a row of the workbook (whose ID is
// known once it is written) or a row already in the database.
type ref struct{ id *int }

func dbRef(id int) ref { return ref{&id} }

func (r ref) ok() bool { return r.id != nil }

// ID is the database ID (0 before a new row is written).
func (r ref) ID() int { return *r.id }

// node identifies the referenced record while some are not yet written.
func (r ref) node() any {
	if *r.id != 0 {
		return *r.id
	}
	return r.id
}

// rec is what every parsed row has.
type rec struct {
	line   int
	id     int
	action action
	bad    bool
}

type boundSheet struct {
	def    *SheetDef
	name   string
	idx    map[string]int
	rows   []Row
	header []string // the header's cells as written
	// cellAt, for the sheets a flat roster is read into (flat.go), is the
	// cell of the user's sheet a column's problems are marked on, when it is
	// not the column's own (a 人员编号 derived from the 姓名, a post read
	// from the 职务 wording); -1: no cell (a village named in the title).
	cellAt map[string]int
}

func (b *boundSheet) has(col string) bool { _, ok := b.idx[col]; return ok }

func (b *boundSheet) get(r Row, col string) string {
	i, ok := b.idx[col]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return cleanCell(r.Cells[i])
}

type importer struct {
	ctx context.Context
	c   *ent.Client
	rep *Report

	progress     func(Progress)
	beforeCommit func(context.Context, *ent.Client, *Report) error
	mapping      []ColumnMapping
	phase        Phase
	done, total  int
	sheets       map[SheetKind]*boundSheet
	counts       map[SheetKind]*SheetCount
	// flat is a flat roster (花名册) sheet, read into the 人员 and 任职
	// sheets by flatten (flat.go); Region is ImportOptions.Region.
	flat       *flatSheet
	flatRegion string

	regions map[string]*ent.Region

	insts    []*instRec
	instByNo map[string]*instRec
	dbInst   map[string]*ent.Institution

	people     []*personRec
	personByNo map[string]*personRec
	dbPerson   map[string]*ent.Person // by source key, else external_id (and generated key)
	// source names the origin of the roster's numbers (ImportOptions.Source);
	// keyed holds the numbers found among its keys.
	source string
	keyed  map[string]bool

	posts       []*postRec
	mentorships []*mentorshipRec
	appts       []*apptRec
	apptByNo    map[string]*apptRec
	logs        []*logRec
	assigns     []*assignRec
	assignByNo  map[string]*assignRec
	demandByNo  map[string]*demandRec
	services    []*serviceRec
	demands     []*demandRec
	contribs    []*contribRec
	contribByNo map[string]*contribRec
	// The work cycle (validate_workcycle.go).
	assessments []*assessmentRec
	duties      []*dutyRec
	rewards     []*rewardRec
	stars       []*starRec
	audits      []*auditRec
	terms       []*termRec
	classes     []*classRec
	classByKey  map[string]*classRec
	enrolments  []*enrolRec
	// Resident work and the support of experts (validate_workflow.go).
	areas              []*areaRec
	teams              []*teamRec
	teamByKey          map[string]*teamRec
	dbTeam             map[string]*ent.ResidentTeam
	teamVillages       map[int]bool // the villages whose teams dbTeam holds
	residentAssessment []*residentAssessmentRec
	agreements         []*agreementRec
	agreementByKey     map[string]*agreementRec
	subsidies          []*subsidyRec
	farms              []*farmRec

	// vocab is the vocabulary that applies to the importer.
	vocab    vocab.Vocabularies
	readings map[Reading]int
	unknown  map[unknownKey]*UnknownWord
}

func newImporter(ctx context.Context, c *ent.Client) *importer {
	return &importer{
		ctx: ctx, c: c, rep: &Report{},
		sheets: map[SheetKind]*boundSheet{}, counts: map[SheetKind]*SheetCount{},
		regions:  map[string]*ent.Region{},
		instByNo: map[string]*instRec{}, dbInst: map[string]*ent.Institution{},
		personByNo: map[string]*personRec{}, dbPerson: map[string]*ent.Person{},
		keyed:    map[string]bool{},
		apptByNo: map[string]*apptRec{}, assignByNo: map[string]*assignRec{}, demandByNo: map[string]*demandRec{},
		classByKey: map[string]*classRec{}, contribByNo: map[string]*contribRec{},
		teamByKey: map[string]*teamRec{}, dbTeam: map[string]*ent.ResidentTeam{}, teamVillages: map[int]bool{}, agreementByKey: map[string]*agreementRec{},
		vocab: vocab.Defaults(), readings: map[Reading]int{}, unknown: map[unknownKey]*UnknownWord{},
	}
}

// problemAs records a problem of a kind (personal values masked), with the
// cell it is in when the column is bound (so that Annotate can mark it).
func (imp *importer) problemAs(kind Kind, s *boundSheet, line int, col, value, zh, en string) {
	imp.rep.Problems = append(imp.rep.Problems, Problem{
		Sheet: s.name, Row: line, Column: col, Value: maskValue(col, value), Text: i18n.Text{Zh: zh, En: en},
		Kind: kind, Cell: cellName(s, line, col),
	})
}

// violation records a broken rule, with its code (its kind too).
func (imp *importer) violation(s *boundSheet, line int, col, value string, v *rules.Violation) {
	t := v.Text()
	imp.problemAs(Kind(v.Code), s, line, col, value, t.Zh, t.En)
	imp.rep.Problems[len(imp.rep.Problems)-1].Rule = v.Code
}

// cellName is the Excel name (D5) of a bound column's cell in a row; ""
// for the whole sheet or a column that is not in the sheet.
func cellName(s *boundSheet, line int, col string) string {
	i, ok := s.idx[col]
	if j, at := s.cellAt[col]; at {
		i, ok = j, j >= 0
	}
	if !ok || line <= 0 {
		return ""
	}
	name, err := excelize.CoordinatesToCellName(i+1, line)
	if err != nil {
		return ""
	}
	return name
}

func (imp *importer) warn(sheet string, line int, col, value, zh, en string) {
	imp.warnAs("", sheet, line, col, value, zh, en)
}

// warnAs records a warning of a kind (grouped like problems).
func (imp *importer) warnAs(kind Kind, sheet string, line int, col, value, zh, en string) {
	imp.rep.Warnings = append(imp.rep.Warnings, Problem{
		Sheet: sheet, Row: line, Column: col, Value: maskValue(col, value), Text: i18n.Text{Zh: zh, En: en}, Kind: kind,
	})
}

func maskValue(col, v string) string {
	switch col {
	case colIDNumber:
		return pii.MaskIDNumber(v)
	case colPhone:
		return pii.MaskPhone(v)
	}
	return v
}

// cells reads one row's cells with the checks every sheet shares.
type cells struct {
	imp *importer
	s   *boundSheet
	r   Row
	bad bool
}

// failAs records a problem of a kind with a cell of the row.
func (c *cells) failAs(kind Kind, col, value, zh, en string) {
	c.bad = true
	c.imp.problemAs(kind, c.s, c.r.Line, col, value, zh, en)
}

// broke records a broken rule of package rules; nil is no problem.
func (c *cells) broke(col, value string, v *rules.Violation) {
	if v != nil {
		c.bad = true
		c.imp.violation(c.s, c.r.Line, col, value, v)
	}
}

// text reads a cell, checking it is there when required and not too long.
func (c *cells) text(col string, max int) string {
	v := c.s.get(c.r, col)
	if v == "" {
		if def := c.s.def.column(col); def != nil && def.Required {
			c.failAs(KindMissingValue, col, "", "必填项为空", "required value is empty")
		}
		return ""
	}
	if max > 0 && utf8.RuneCountInString(v) > max {
		c.failAs(KindTooLong, col, v, fmt.Sprintf("超过 %d 个字符", max), fmt.Sprintf("longer than %d characters", max))
	}
	return v
}

// word reads a cell of a closed vocabulary or of an extendable one; ""
// when empty.
func (c *cells) word(col string, ws words) string {
	v := c.text(col, 0)
	if v == "" {
		return ""
	}
	code, _ := c.wordOf(col, v, ws)
	return code
}

// list reads a ;-separated cell of a vocabulary.
func (c *cells) list(col string, ws words) ([]string, bool) {
	v := c.text(col, 0)
	if v == "" {
		return nil, false
	}
	var out []string
	for _, p := range splitList(v) {
		if code, ok := c.wordOf(col, p, ws); ok {
			out = append(out, code)
		}
	}
	return out, true
}

// wordOf reads one word of a cell, recording how a synonym was read and
// refusing an unknown word (UNKNOWN_WORD; for an extendable vocabulary the
// report also lists it once among unknownWords, for an admin to add).
func (c *cells) wordOf(col, v string, ws words) (string, bool) {
	if k := vocabulary(ws); k != "" {
		set := c.imp.vocab.Set(k)
		code, ok := set.Code(v)
		if !ok {
			c.failAs(KindUnknownWord, col, v, "不在"+k.Chinese()+"词表中（可请管理员在词表中新增或映射后重新导入）",
				"not in the "+string(k)+" vocabulary (an admin may add or map it, then import again)")
			c.imp.unknownWord(k, c.s, c.r.Line, col, v, set.Suggest(v))
			return "", false
		}
		if label := set.Label(code); label != v {
			c.imp.reading(c.s.name, col, v, label)
		}
		return code, true
	}
	code, read, ok := ws.code(v)
	if !ok {
		c.failAs(KindUnknownWord, col, v, "不是允许的值（"+ws.list()+"）", "not an allowed word ("+ws.list()+")")
		return "", false
	}
	if read != "" {
		c.imp.reading(c.s.name, col, v, read)
	}
	return code, true
}

func (c *cells) date(col string) *time.Time {
	b := c.birth(col)
	if b == nil {
		return nil
	}
	return &b.Date
}

// birth reads a date cell with its precision: a month alone (出生年月) is
// the 1st of the month, Month true. Only the birth date keeps the
// precision; the other date columns take the 1st (date).
func (c *cells) birth(col string) *rules.Birth {
	v := c.text(col, 0)
	if v == "" {
		return nil
	}
	t, month, ok := parseDateMonth(v)
	if !ok {
		c.failAs(KindBadDate, col, v, dateFormsZh, dateFormsEn)
		return nil
	}
	return &rules.Birth{Date: t, Month: month}
}

func (c *cells) count(col string) *int64 {
	v := c.text(col, 0)
	if v == "" {
		return nil
	}
	n, ok := parseCount(v)
	if !ok {
		c.failAs(KindBadNumber, col, v, "应为非负整数", "not a whole number ≥ 0")
		return nil
	}
	return &n
}

// period checks a row's period (rules.CheckPeriod) when both ends are there.
func (c *cells) period(endCol string, start, end *time.Time) {
	if start != nil && end != nil {
		if v := rules.CheckPeriod(rules.Period{Start: *start, End: end}); v != nil {
			// The cell as written, and the day it was read as.
			c.broke(endCol, c.s.get(c.r, endCol), v)
			c.imp.rep.Problems[len(c.imp.rep.Problems)-1].Read = day(*end)
		}
	}
}

// regionCode reads a code column (checked against the database later).
func (c *cells) regionCode(col string) string {
	v := c.text(col, 0)
	if v != "" && !regioncode.Valid(v) {
		c.failAs(KindBadRegionCode, col, v, "区划代码应为 2、4、6、9 或 12 位数字", "a region code has 2, 4, 6, 9 or 12 digits")
		return ""
	}
	return v
}

var keyPattern = regexp.MustCompile(`^[^\s]{1,64}$`)

// key reads a record number (编号) column.
func (c *cells) key(col string) string {
	v := c.text(col, 0)
	if v != "" && !keyPattern.MatchString(v) {
		c.failAs(KindBadKey, col, v, "编号不能含空格，最长 64 个字符", "a number has no spaces and at most 64 characters")
		return ""
	}
	return v
}

// region resolves a code against the loaded regions and checks that the
// site may sit there.
func (imp *importer) region(s *boundSheet, line int, col, code string, site rules.Site) (int, bool) {
	if code == "" {
		return 0, false
	}
	r := imp.regions[code]
	if r == nil {
		imp.problemAs(KindUnknownRegion, s, line, col, code, "区划代码在库中不存在（请先导入区划）", "no region with this code (import the regions first)")
		return 0, false
	}
	if v := auth.FromContext(imp.ctx); !v.System() && !site.Directory && !(v.Is(auth.RoleAdmin, auth.RoleTownship) && v.Covers(code)) {
		imp.problemAs(KindOutOfScope, s, line, col, code, "该区划不在您的管理范围内", "this region is outside your scope")
		return 0, false
	}
	if v := site.Check(rules.Region{Name: r.Name, Code: r.Code, Level: rules.Level(r.Level)}, ""); v != nil {
		imp.violation(s, line, col, code, v)
		return 0, false
	}
	return r.ID, true
}

// personRef resolves a 人员编号: a row of the 人员 sheet, else a person on file.
func (imp *importer) personRef(s *boundSheet, line int, col, key string) ref {
	if key == "" {
		return ref{}
	}
	if p := imp.personByNo[key]; p != nil {
		return ref{&p.id}
	}
	if p := imp.dbPerson[key]; p != nil {
		return dbRef(p.ID)
	}
	imp.problemAs(KindUnknownReference, s, line, col, key, "人员编号在人员表和库中都不存在", "no person with this number in the 人员 sheet or on file")
	return ref{}
}

// generatedKey reads the keys Export gives records that have no number of
// their own ("P" + ID), so an exported roster re-imports onto the same rows.
func generatedKey(prefix, key string) (int, bool) {
	if !strings.HasPrefix(key, prefix) {
		return 0, false
	}
	id, err := strconv.Atoi(key[len(prefix):])
	return id, err == nil && id > 0
}

func (imp *importer) count() {
	add := func(kind SheetKind, recs []*rec) {
		c := imp.counts[kind]
		if c == nil {
			return
		}
		for _, r := range recs {
			c.Rows++
			switch r.action {
			case create:
				c.Created++
			case update:
				c.Updated++
			default:
				c.Unchanged++
			}
		}
	}
	add(Institutions, recsOf(imp.insts))
	add(People, recsOf(imp.people))
	add(ResidentAreas, recsOf(imp.areas))
	add(ResidentTeams, recsOf(imp.teams))
	add(Posts, recsOf(imp.posts))
	add(Mentorships, recsOf(imp.mentorships))
	add(Appointments, recsOf(imp.appts))
	add(ContactLogs, recsOf(imp.logs))
	add(Demands, recsOf(imp.demands))
	add(Assignments, recsOf(imp.assigns))
	add(ServiceRecords, recsOf(imp.services))
	add(Contributions, recsOf(imp.contribs))
	add(Assessments, recsOf(imp.assessments))
	add(DutyItems, recsOf(imp.duties))
	add(Rewards, recsOf(imp.rewards))
	add(StarRatings, recsOf(imp.stars))
	add(OfficeAudits, recsOf(imp.audits))
	add(Terms, recsOf(imp.terms))
	add(TrainingClasses, recsOf(imp.classes))
	add(TrainingEnrolments, recsOf(imp.enrolments))
	add(ResidentAssessments, recsOf(imp.residentAssessment))
	add(ExpertAgreements, recsOf(imp.agreements))
	add(SubsidyPayments, recsOf(imp.subsidies))
	add(DoctorFarms, recsOf(imp.farms))
	for _, d := range Sheets {
		if c := imp.counts[d.Kind]; c != nil {
			imp.rep.Counts = append(imp.rep.Counts, *c)
		}
	}
}

type hasRec interface{ base() *rec }

func (r *rec) base() *rec { return r }

func recsOf[T hasRec](xs []T) []*rec {
	out := make([]*rec, len(xs))
	for i, x := range xs {
		out[i] = x.base()
	}
	return out
}

// chunked calls fn on slices of at most n items (IN lists stay below the
// engines' parameter limits).
func chunked[T any](xs []T, n int, fn func([]T) error) error {
	for len(xs) > 0 {
		k := min(n, len(xs))
		if err := fn(xs[:k]); err != nil {
			return err
		}
		xs = xs[k:]
	}
	return nil
}

const chunk = 1000

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func ptrEq[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return day(*a) == day(utcDay(*b))
}
