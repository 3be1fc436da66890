package roster

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"yanzhen/ent/person"
	"yanzhen/rules"
)

var (
	dateFull     = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
	dateMonth    = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})$`)
	dateChinese  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$`)
	dateCompact  = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})?$`)
	dateSerial   = regexp.MustCompile(`^\d{5}(\.\d+)?$`)
	dateWithTime = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$`)
	// A month typed into a number cell: 1971.07 is stored as a binary
	// fraction, and the raw value may read 1971.0699999999999.
	dateMonthNumber = regexp.MustCompile(`^\d{4}\.\d{3,}$`)
)

// parseDate is parseDateMonth without the precision: the other roster
// dates (posts, appointments …) are days, and a month alone means its 1st.
func parseDate(s string) (time.Time, bool) {
	t, _, ok := parseDateMonth(s)
	return t, ok
}

// parseDateMonth reads the date forms departments write — the one place
// roster dates are parsed. Full dates: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD,
// YYYY年MM月DD日, YYYYMMDD, and the serial number of an Excel date cell (the
// reader takes raw cell values, so a date cell arrives as 26115 whatever
// its display format). Months alone (month true; the result is the 1st):
// YYYY.MM, YYYY-MM, YYYY/MM, YYYY年MM月 and YYYYMM — the 出生年月 of cadre
// rosters. Month and day may have one digit, digits and separators may be
// full-width. The result is UTC midnight.
//
// YYYY.1 is refused: in a number cell 1971.10 (October) is stored as
// 1971.1, which cannot be told from January written short, so the writer is
// asked for 1971.01 or 1971.10 rather than guessed at.
func parseDateMonth(s string) (t time.Time, month, ok bool) {
	s = width.Narrow.String(s)
	if m := dateWithTime.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	if dateMonthNumber.MatchString(s) {
		// Only the binary noise of a two-decimal number: 1971.071 is no month.
		if f, err := strconv.ParseFloat(s, 64); err == nil && math.Abs(f*100-math.Round(f*100)) < 1e-6 {
			s = strconv.FormatFloat(f, 'f', 2, 64)
		}
	}
	var y, mo, d string
	switch {
	case dateFull.MatchString(s):
		m := dateFull.FindStringSubmatch(s)
		if m[2] != m[4] {
			return time.Time{}, false, false
		}
		y, mo, d = m[1], m[3], m[5]
	case dateMonth.MatchString(s):
		m := dateMonth.FindStringSubmatch(s)
		if m[2] == "." && m[3] == "1" {
			return time.Time{}, false, false
		}
		y, mo = m[1], m[3]
	case dateChinese.MatchString(s):
		m := dateChinese.FindStringSubmatch(s)
		y, mo, d = m[1], m[2], m[3]
	case dateCompact.MatchString(s):
		m := dateCompact.FindStringSubmatch(s)
		y, mo, d = m[1], m[2], m[3]
	case dateSerial.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, false, false
		}
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return time.Time{}, false, false
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), false, true
	default:
		return time.Time{}, false, false
	}
	if month = d == ""; month {
		d = "1"
	}
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(mo)
	di, _ := strconv.Atoi(d)
	t = time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 2024-02-30 to March: such a date does not exist.
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di || yi < 1900 || yi > 2100 {
		return time.Time{}, false, false
	}
	return t, month, true
}

// dateForms is what the date columns take, for the refusal of a bad one.
const (
	dateFormsZh = "日期格式错误，应为 YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、YYYYMMDD，或只到月份的 YYYY.MM、YYYY-MM、YYYY年MM月、YYYYMM（1月写作 YYYY.01），或 Excel 日期"
	dateFormsEn = "not a date (YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年MM月DD日, YYYYMMDD, or a month: YYYY.MM, YYYY-MM, YYYY年MM月, YYYYMM — January as YYYY.01 —, or an Excel date)"
)

// birthText is a birth date as the roster writes it: 1971年07月 for a
// month-only one (as departments write 出生年月, and as it reads back), else
// YYYY-MM-DD; "" when absent.
func birthText(t *time.Time, p *person.BirthDatePrecision) string {
	if t == nil {
		return ""
	}
	return birthOf(*t, p).Text()
}

// birthOf is a stored birth date with its precision (nil: DAY).
func birthOf(t time.Time, p *person.BirthDatePrecision) rules.Birth {
	if monthOnly(p) {
		return rules.MonthOf(t)
	}
	return rules.Birth{Date: utcDay(t)}
}

// day is a date as the roster writes it.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// dayPtr is day of an optional date, "" when absent.
func dayPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return day(*t)
}

// utcDay brings a date read from the database to UTC midnight of the same
// calendar day (drivers differ in the location they attach).
func utcDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// parseCount reads a non-negative whole number; Excel may write 35 as "35.0"
// or with thousands separators.
func parseCount(s string) (int64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	s = strings.TrimSuffix(s, ".0")
	s = strings.TrimSuffix(s, ".00")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// numberText undoes Excel's scientific notation for long numbers typed into
// a number cell (a phone number such as 1.3800138E+10).
func numberText(s string) string {
	if !strings.ContainsAny(s, "Ee") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f >= 1e16 {
		// Beyond 16 digits the number has lost digits already (an ID number
		// in a number cell); leave it to fail the check.
		return s
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// splitList splits a list cell on ; or ；.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// monthOnly: a stored precision says the birth date is a month alone.
func monthOnly(p *person.BirthDatePrecision) bool {
	return p != nil && *p == person.BirthDatePrecisionMONTH
}

// monthCell reports an Excel date cell on the 1st of a month: what a
// 出生年月 column formatted yyyy.mm or yyyy"年"m"月" holds, since Excel keeps
// a month typed there as its 1st. The reader sees raw values, not formats,
// so such a cell cannot be told from a day; against a 身份证号 it is read as
// the month (checkIDProfile), and the number gives the day.
func monthCell(raw string, b *rules.Birth) bool {
	return b != nil && !b.Month && b.Date.Day() == 1 && dateSerial.MatchString(cleanCell(raw))
}
