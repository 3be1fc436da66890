package rules

import "time"

// Period is the time a relationship lasts, in whole days: a post, an
// appointment, a mentorship. An open period (End nil) is current. Both ends
// are included, so a one-day period starts and ends on the same day.
type Period struct {
	Start time.Time
	End   *time.Time
}

// Overlaps reports whether two periods share at least one day.
func (p Period) Overlaps(q Period) bool {
	return (p.End == nil || !before(*p.End, q.Start)) && (q.End == nil || !before(*q.End, p.Start))
}

// CheckPeriod: a period does not end before it starts.
func CheckPeriod(p Period) *Violation {
	if p.End != nil && before(*p.End, p.Start) {
		return &Violation{Code: EndBeforeStart, Field: "endDate", Args: []any{Day(*p.End), Day(p.Start)}}
	}
	return nil
}

// China is the time zone the records' dates are in.
var China = time.FixedZone("CST", 8*60*60)

// CheckBirthDate: nobody on record is born after today (in China, where a
// birth at 00:30 is already tomorrow for the server's UTC clock).
func CheckBirthDate(birth, now time.Time) *Violation {
	if before(now.In(China), birth) {
		return &Violation{Code: BirthDateInFuture, Field: "birthDate", Args: []any{Day(birth)}}
	}
	return nil
}

// CheckRecordDate: a contact or a service is recorded after it happened, so
// its date (the input field) is never after today in China — a record dated
// tomorrow would hide an overdue contact from the alerts until then.
func CheckRecordDate(field string, date, now time.Time) *Violation {
	if before(now.In(China), date) {
		return &Violation{Code: DateInFuture, Field: field, Args: []any{Day(date)}}
	}
	return nil
}

// Day writes a date as YYYY-MM-DD.
func Day(t time.Time) string { return t.Format(time.DateOnly) }

// before compares calendar days as written, whatever the location attached
// to them: database drivers differ in the one they give a date.
func before(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay != by {
		return ay < by
	}
	if am != bm {
		return am < bm
	}
	return ad < bd
}
