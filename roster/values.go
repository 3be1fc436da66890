package roster

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	dateFull     = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
	dateMonth    = regexp.MustCompile(`^(\d{4})\.(\d{1,2})$`)
	dateChinese  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$`)
	dateSerial   = regexp.MustCompile(`^\d{5}(\.\d+)?$`)
	dateWithTime = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$`)
)

// parseDate reads the date forms departments write: YYYY-MM-DD, YYYY/MM/DD,
// YYYY.MM.DD, YYYY.MM and YYYY年MM月(DD日) (a month alone means its 1st), and
// the serial number of an Excel date cell. The result is UTC midnight.
func parseDate(s string) (time.Time, bool) {
	if m := dateWithTime.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	var y, mo, d string
	switch {
	case dateFull.MatchString(s):
		m := dateFull.FindStringSubmatch(s)
		if m[2] != m[4] {
			return time.Time{}, false
		}
		y, mo, d = m[1], m[3], m[5]
	case dateMonth.MatchString(s):
		m := dateMonth.FindStringSubmatch(s)
		y, mo, d = m[1], m[2], "1"
	case dateChinese.MatchString(s):
		m := dateChinese.FindStringSubmatch(s)
		y, mo, d = m[1], m[2], m[3]
		if d == "" {
			d = "1"
		}
	case dateSerial.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return time.Time{}, false
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	default:
		return time.Time{}, false
	}
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(mo)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 2024-02-30 to March: such a date does not exist.
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di || yi < 1900 || yi > 2100 {
		return time.Time{}, false
	}
	return t, true
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
