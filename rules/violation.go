// Package rules holds the business rules of the talent graph as pure
// functions over plain values. The ent hooks (every write) and the roster
// validation (a whole workbook before anything is written) both call them,
// each doing its own lookups, so a rule is written once and cannot drift.
// A broken rule is a *Violation: a code for programs, its parameters, and
// the text in Chinese and English; callers turn it into their own error form.
package rules

import (
	"fmt"

	"yanzhen/i18n"
)

// Code names a rule that was broken. Codes are stable: roster reports and
// tests branch on them.
type Code string

const (
	EndBeforeStart        Code = "END_BEFORE_START"
	BirthDateInFuture     Code = "BIRTH_DATE_IN_FUTURE"
	DateInFuture          Code = "DATE_IN_FUTURE"
	WrongLevel            Code = "WRONG_LEVEL"
	SecondSecretary       Code = "SECOND_SECRETARY"
	ReserveListMissing    Code = "RESERVE_LIST_MISSING"
	ReserveListNotAllowed Code = "RESERVE_LIST_NOT_ALLOWED"
	DispatchNotAllowed    Code = "DISPATCH_LEVEL_NOT_ALLOWED"
	IDFormat              Code = "ID_NUMBER_FORMAT"
	IDCheckDigit          Code = "ID_NUMBER_CHECK_DIGIT"
	IDBirthDate           Code = "ID_NUMBER_BIRTH_DATE"
	IDBirthMismatch       Code = "ID_NUMBER_BIRTH_DATE_MISMATCH"
	IDBirthMonthMismatch  Code = "ID_NUMBER_BIRTH_MONTH_MISMATCH"
	IDGenderMismatch      Code = "ID_NUMBER_GENDER_MISMATCH"
	SelfMentoring         Code = "SELF_MENTORING"
	SecondActivePair      Code = "SECOND_ACTIVE_PAIR"
	MentoringCycle        Code = "MENTORING_CYCLE"
	YearOutOfRange        Code = "YEAR_OUT_OF_RANGE"
	ScoreOutOfRange       Code = "SCORE_OUT_OF_RANGE"
	RankOutOfRange        Code = "RANK_OUT_OF_RANGE"
	RankIncomplete        Code = "RANK_INCOMPLETE"
	SecondAssessment      Code = "SECOND_ASSESSMENT"
	CompletedNotDone      Code = "COMPLETED_NOT_DONE"
	SecondTerm            Code = "SECOND_TERM"
	HoursOutOfRange       Code = "HOURS_OUT_OF_RANGE"
	EndsBeforeStart       Code = "ENDS_BEFORE_START"
	SecondEnrolment       Code = "SECOND_ENROLMENT"
	ExitWithoutEnd        Code = "EXIT_KIND_WITHOUT_END"
	OutcomeOutOfOrder     Code = "OUTCOME_OUT_OF_ORDER"
	RehireNotAllowed      Code = "REHIRE_NOT_ALLOWED"
)

// Violation is one broken rule.
type Violation struct {
	Code Code
	// Field is the input the rule concerns, in the API's words (endDate,
	// regionID …).
	Field string
	// Args are the parameters of the text, in the order the Code's text
	// (in texts below) uses them.
	Args []any
}

// Conflict reports a rule about records already on file (a second
// secretary, a cycle), as opposed to a value that is wrong in itself.
func (v *Violation) Conflict() bool {
	switch v.Code {
	case SecondSecretary, SecondActivePair, MentoringCycle, SecondAssessment, SecondTerm, SecondEnrolment:
		return true
	}
	return false
}

// Text is the violation in Chinese and English.
func (v *Violation) Text() i18n.Text { return i18n.T(texts[v.Code].zh, texts[v.Code].en, v.Args...) }

// Error is the English and the Chinese text, as the API words its errors.
func (v *Violation) Error() string { return v.Text().String() }

// Every text of every rule, with its parameters in Args order. A parameter
// may print itself in either language: %s gives its English, %l its Chinese
// (see Where, Level, Levels, Site). The texts never quote an ID number: it is
// personal data.
var texts = map[Code]struct{ zh, en string }{
	// end, start
	EndBeforeStart: {"结束日期早于开始日期 %[2]s", "the end date is before the start date %[2]s"},
	// birth date
	BirthDateInFuture: {"出生日期 %[1]s 晚于今天", "the birth date %[1]s is in the future"},
	// the record's date
	DateInFuture: {"日期 %[1]s 晚于今天，不能登记尚未发生的记录", "the date %[1]s is in the future; a record is entered after the event"},
	// Site, Levels wanted, region name, region code, Level of the region
	WrongLevel: {"%[1]l须为%[2]l级区划，%[3]s是%[5]l级", "%[1]s must be at %[2]s level; %[3]s (%[4]s) is a %[5]s"},
	// start of the other term, Where it is
	SecondSecretary: {"该村在此期间已有党组织书记（%[1]s 起，%[2]l）；一个村同一时间只有一名书记",
		"the village already has a party secretary from %[1]s (%[2]s); a village has one secretary at a time"},
	// the reserve lists
	ReserveListMissing:    {"后备干部须注明后备类别（%[1]s）", "a reserve cadre needs a reserve list (%[1]s)"},
	ReserveListNotAllowed: {"仅后备干部有后备类别", "only reserve cadres are on a reserve list"},
	DispatchNotAllowed: {"仅驻村第一书记、驻村工作队员有派驻层级",
		"only resident first secretaries and work-team members have a dispatch level"},
	IDFormat:         {"身份证号应为18位（17位数字加校验位）", "an ID number has 18 characters: 17 digits and a check digit"},
	IDCheckDigit:     {"身份证号校验位错误（GB 11643）", "the check digit is wrong (GB 11643)"},
	IDBirthDate:      {"身份证号中的出生日期无效", "the ID number holds no valid birth date"},
	IDBirthMismatch:  {"身份证号与出生日期不一致", "the 身份证号 does not match the birth date"},
	IDGenderMismatch: {"身份证号与性别不一致", "the 身份证号 does not match the gender"},
	// the month written, the month in the ID number (YYYY-MM: never the
	// number, nor its day)
	IDBirthMonthMismatch: {"出生年月 %[1]s 与身份证号中的出生年月 %[2]s 不一致",
		"the birth month %[1]s is not the one in the 身份证号, %[2]s"},
	SelfMentoring: {"导师与学员不能是同一人", "nobody mentors themselves"},
	// Where the other pair is
	SecondActivePair: {"该导师与学员已有进行中的结对（%[1]l）", "this mentor already mentors this mentee (%[1]s)"},
	MentoringCycle: {"学员已是导师的上级帮带人，结对将形成循环",
		"the mentee is already above the mentor in the lineage; the pair would close a cycle"},
	// the year, the first and the last year allowed
	YearOutOfRange: {"年度 %[1]d 须在 %[2]d 至 %[3]d 之间", "the year %[1]d must be between %[2]d and %[3]d"},
	// the score
	ScoreOutOfRange: {"评议得分 %[1]v 须在 0 至 100 之间", "the review score %[1]v must be between 0 and 100"},
	// the rank, the number ranked
	RankOutOfRange: {"名次 %[1]d 须在 1 至参评人数 %[2]d 之间", "the rank %[1]d must be between 1 and the number ranked, %[2]d"},
	RankIncomplete: {"名次、参评人数、排名范围须一并填写", "a rank needs the number ranked and the scope of the ranking, and they need it"},
	// the year
	SecondAssessment: {"该人员 %[1]d 年度已有考核记录；一人一年一条", "this person already has an assessment for %[1]d; one per person and year"},
	CompletedNotDone: {"只有已完成的事项有完成日期", "only a done item has a completion date"},
	// the election date
	SecondTerm: {"该县 %[1]s 已有一次换届", "the county already has a term elected on %[1]s"},
	// the hours
	HoursOutOfRange: {"学时 %[1]v 须在 0 至 2000 之间", "the hours %[1]v must be between 0 and 2000"},
	// the start, the end
	EndsBeforeStart: {"结束日期 %[2]s 早于开始日期 %[1]s", "the end %[2]s is before the start %[1]s"},
	SecondEnrolment: {"该人员已在此班次中", "this person is already enrolled in this class"},
	ExitWithoutEnd:  {"退出方式须与离任日期一并填写", "how a post ended needs the date it ended"},
	// the step's kind, the kind of the step it follows
	OutcomeOutOfOrder: {"%[1]s 不能接在 %[2]s 之后：成效链条依次为招商信息→考察→项目落地→资金到村，同村，日期不早于上一步",
		"a %[1]s cannot follow a %[2]s: a chain goes lead → site visit → project → funds, in one village, each on or after the step before"},
	// the new post's role
	RehireNotAllowed: {"返聘须为本人已结束职务之后的村务监督委员会或合作社职务（%[1]s 不可）",
		"a rehire is a post of the supervisory committee or the cooperative, for the person whose post has ended (not %[1]s)"},
}

// Where is the other record of a conflict: a roster row, or on file (Row 0).
type Where struct{ Row int }

func (w Where) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'l' && w.Row == 0:
		fmt.Fprint(f, "库中已有")
	case verb == 'l':
		fmt.Fprintf(f, "第%d行", w.Row)
	case w.Row == 0:
		fmt.Fprint(f, "on file")
	default:
		fmt.Fprintf(f, "row %d", w.Row)
	}
}
