package roster

import (
	"fmt"
	"sort"
	"strings"

	"yanzhen/i18n"
	"yanzhen/rules"
)

// A report of 300 problems is read by a clerk who fixes a spreadsheet: what
// helps is "日期格式错误 ×120: 人员 第3、5、9…行" before the 300 lines. So
// problems carry a Kind, and the report groups them by it.

// Kind is what a problem is, stable across versions: the code of the
// business rule it breaks (rules.Code) or one of the kinds of form below.
type Kind string

// The kinds of problems of form (a broken rule's kind is its rules.Code).
const (
	KindMissingValue     Kind = "MISSING_VALUE"     // a required cell is empty
	KindTooLong          Kind = "TOO_LONG"          // more characters than the column holds
	KindUnknownWord      Kind = "UNKNOWN_WORD"      // not one of the column's allowed words
	KindBadDate          Kind = "BAD_DATE"          // not a date in a known form
	KindBadNumber        Kind = "BAD_NUMBER"        // not a whole number
	KindBadRegionCode    Kind = "BAD_REGION_CODE"   // not 2, 4, 6, 9 or 12 digits
	KindBadKey           Kind = "BAD_KEY"           // a 编号 with spaces or too long
	KindUnknownRegion    Kind = "UNKNOWN_REGION"    // no region with that code
	KindOutOfScope       Kind = "OUT_OF_SCOPE"      // a region outside the user's scope
	KindUnknownReference Kind = "UNKNOWN_REFERENCE" // a 编号 naming no row and no record on file
	KindDuplicateNumber  Kind = "DUPLICATE_NUMBER"  // a 编号 used twice in a sheet
	KindDuplicateRow     Kind = "DUPLICATE_ROW"     // the same post, contact or service twice
	KindAmbiguousNumber  Kind = "AMBIGUOUS_NUMBER"  // a 编号 naming several records on file
	KindFixedOnFile      Kind = "CANNOT_CHANGE"     // who or where of a numbered record cannot change
	KindBadPhone         Kind = "BAD_PHONE"         // not a mobile or landline number
	KindOnFileElsewhere  Kind = "ON_FILE_ELSEWHERE" // an ID number on file outside the area, not linkable
	KindHeader           Kind = "HEADER"            // a missing, ambiguous or repeated column
	KindSheet            Kind = "SHEET"             // an unknown or repeated sheet
	KindColumnMapping    Kind = "COLUMN_MAPPING"    // a line of the column mapping
	KindPostTitle        Kind = "POST_TITLE"        // a flat roster's 职务 wording that names no post
	KindAmbiguousRegion  Kind = "AMBIGUOUS_REGION"  // a village name of a flat roster naming several villages
	KindOther            Kind = "OTHER"             // not classified (yet)
)

// kindTexts names each kind as a group's title.
var kindTexts = map[Kind]i18n.Text{
	KindMissingValue:     {Zh: "必填项为空", En: "required value is empty"},
	KindTooLong:          {Zh: "内容过长", En: "value too long"},
	KindUnknownWord:      {Zh: "不是允许的值", En: "not an allowed word"},
	KindBadDate:          {Zh: "日期格式错误", En: "not a date"},
	KindBadNumber:        {Zh: "不是整数", En: "not a whole number"},
	KindBadRegionCode:    {Zh: "区划代码格式错误", En: "malformed region code"},
	KindBadKey:           {Zh: "编号格式错误", En: "malformed number"},
	KindUnknownRegion:    {Zh: "区划代码不存在", En: "unknown region code"},
	KindOutOfScope:       {Zh: "区划不在管理范围内", En: "region outside your scope"},
	KindUnknownReference: {Zh: "引用的编号不存在", En: "reference to no record"},
	KindDuplicateNumber:  {Zh: "编号重复", En: "duplicate number"},
	KindDuplicateRow:     {Zh: "重复的记录", En: "duplicate record"},
	KindAmbiguousNumber:  {Zh: "编号对应多条记录", En: "number matches several records"},
	KindFixedOnFile:      {Zh: "库中记录的关键信息不能修改", En: "a record's parties cannot change"},
	KindBadPhone:         {Zh: "电话号码格式错误", En: "not a phone number"},
	KindOnFileElsewhere:  {Zh: "身份证号已在辖区外建档", En: "ID number on file outside your area"},
	KindHeader:           {Zh: "表头问题", En: "header problem"},
	KindSheet:            {Zh: "工作表问题", En: "sheet problem"},
	KindColumnMapping:    {Zh: "列映射问题", En: "column mapping problem"},
	KindPostTitle:        {Zh: "职务无法识别", En: "post title not recognised"},
	KindAmbiguousRegion:  {Zh: "村名对应多个村", En: "village name matches several villages"},
	KindOther:            {Zh: "其他问题", En: "other problems"},

	// The rules' codes: their own texts take the row's parameters, a
	// group's title does not.
	Kind(rules.EndBeforeStart):        {Zh: "结束日期早于开始日期", En: "end before start"},
	Kind(rules.BirthDateInFuture):     {Zh: "出生日期晚于今天", En: "birth date in the future"},
	Kind(rules.DateInFuture):          {Zh: "日期晚于今天", En: "date in the future"},
	Kind(rules.WrongLevel):            {Zh: "区划级别不符", En: "wrong region level"},
	Kind(rules.SecondSecretary):       {Zh: "一村同时有两名书记", En: "second party secretary"},
	Kind(rules.ReserveListMissing):    {Zh: "后备干部缺少后备类别", En: "reserve list missing"},
	Kind(rules.ReserveListNotAllowed): {Zh: "非后备干部不填后备类别", En: "reserve list not allowed"},
	Kind(rules.DispatchNotAllowed):    {Zh: "该职务不填派驻层级", En: "dispatch level not allowed"},
	Kind(rules.IDFormat):              {Zh: "身份证号格式错误", En: "malformed ID number"},
	Kind(rules.IDCheckDigit):          {Zh: "身份证号校验位错误", En: "wrong ID check digit"},
	Kind(rules.IDBirthDate):           {Zh: "身份证号中的出生日期无效", En: "invalid birth date in ID number"},
	Kind(rules.IDBirthMismatch):       {Zh: "出生日期与身份证号不符", En: "birth date differs from ID number"},
	Kind(rules.IDGenderMismatch):      {Zh: "性别与身份证号不符", En: "gender differs from ID number"},
	Kind(rules.SelfMentoring):         {Zh: "导师与学员是同一人", En: "mentoring oneself"},
	Kind(rules.SecondActivePair):      {Zh: "重复的进行中结对", En: "second active pair"},
	Kind(rules.MentoringCycle):        {Zh: "结对形成循环", En: "mentoring cycle"},
}

// Text is the kind's title in both languages; an unknown kind (a rule added
// later) is its code.
func (k Kind) Text() i18n.Text {
	if t, ok := kindTexts[k]; ok {
		return t
	}
	return i18n.Text{Zh: string(k), En: string(k)}
}

// Group is the kind a problem is grouped under: its Kind, else (a report
// stored before kinds, a problem no helper classified) its rule, else
// OTHER.
func (p Problem) Group() Kind {
	switch {
	case p.Kind != "":
		return p.Kind
	case p.Rule != "":
		return Kind(p.Rule)
	}
	return KindOther
}

// groupSample caps the places a group lists: the count says how many there
// are, the details list them all.
const groupSample = 20

// ProblemGroup is the problems of one kind: how many, and where.
type ProblemGroup struct {
	Kind  Kind
	Text  i18n.Text
	Count int
	// Sheets are the sheets with problems of the kind, in report order.
	Sheets []string
	// Sample is where the first groupSample of them are.
	Sample []Place
}

// Place is where a problem is: a sheet, a row as Excel numbers it (0: the
// whole sheet) and the cell when known.
type Place struct {
	Sheet string
	Row   int
	Cell  string
}

// Groups groups the report's problems by kind, the largest group first
// (ties in the order their first problem was found).
func (r *Report) Groups() []ProblemGroup { return groupProblems(r.Problems) }

// WarningGroups groups the warnings the same way.
func (r *Report) WarningGroups() []ProblemGroup { return groupProblems(r.Warnings) }

func groupProblems(ps []Problem) []ProblemGroup {
	var out []ProblemGroup
	at := map[Kind]int{}
	for _, p := range ps {
		k := p.Group()
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, ProblemGroup{Kind: k, Text: k.Text()})
		}
		g := &out[i]
		g.Count++
		if len(g.Sheets) == 0 || !contains(g.Sheets, p.Sheet) {
			g.Sheets = append(g.Sheets, p.Sheet)
		}
		if len(g.Sample) < groupSample {
			g.Sample = append(g.Sample, Place{Sheet: p.Sheet, Row: p.Row, Cell: p.Cell})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// String is the group on one line, as the command prints it:
// "日期格式错误 not a date ×12: 人员 第3、5、9行; 任职 第4行…". Rows of a
// sheet are listed once each; "…" says the sample stops short of Count.
func (g ProblemGroup) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s ×%d", g.Text.Zh, g.Text.En, g.Count)
	var sheets []string
	rows := map[string][]string{}
	seen := map[string]bool{}
	for _, pl := range g.Sample {
		if _, ok := rows[pl.Sheet]; !ok {
			sheets = append(sheets, pl.Sheet)
			rows[pl.Sheet] = nil
		}
		key := fmt.Sprintf("%s\x00%d", pl.Sheet, pl.Row)
		if pl.Row > 0 && !seen[key] {
			seen[key] = true
			rows[pl.Sheet] = append(rows[pl.Sheet], fmt.Sprint(pl.Row))
		}
	}
	parts := make([]string, 0, len(sheets))
	for _, s := range sheets {
		if len(rows[s]) == 0 {
			parts = append(parts, s)
			continue
		}
		parts = append(parts, s+" 第"+strings.Join(rows[s], "、")+"行")
	}
	b.WriteString(": " + strings.Join(parts, "; "))
	if len(g.Sample) < g.Count {
		b.WriteString("…")
	}
	return b.String()
}
