package rules

import "time"

// FirstYear is the earliest year a record of the work cycle may be of.
const FirstYear = 1949

// CheckYear refuses a year before FirstYear or after the current one
// (in China): a year is assessed, rated or rewarded once it has come.
func CheckYear(field string, year int, now time.Time) *Violation {
	if last := now.In(China).Year(); year < FirstYear || year > last {
		return &Violation{Code: YearOutOfRange, Field: field, Args: []any{year, FirstYear, last}}
	}
	return nil
}

// CheckAssessment checks the values of an annual assessment as they will
// stand: the year, the review score (0–100), and the rank, which comes
// with the number ranked and the scope of the ranking, and lies between 1
// and that number.
func CheckAssessment(year int, score *float64, rank, among *int, scoped bool, now time.Time) *Violation {
	if v := CheckYear("year", year, now); v != nil {
		return v
	}
	if score != nil && (*score < 0 || *score > 100) {
		return &Violation{Code: ScoreOutOfRange, Field: "reviewScore", Args: []any{*score}}
	}
	if (rank != nil) != (among != nil) || (rank != nil) != scoped {
		return &Violation{Code: RankIncomplete, Field: "rank"}
	}
	if rank != nil && (*rank < 1 || *rank > *among) {
		return &Violation{Code: RankOutOfRange, Field: "rank", Args: []any{*rank, *among}}
	}
	return nil
}

// DutySite is where a duty list (履职清单) is kept: the village the cadre
// serves.
var DutySite = Site{English: "a duty list", Chinese: "履职清单所在村", Levels: Levels{Village}}

// CheckDutyItem checks a duty item as it will stand: its year, and a
// completion date only on a done item, not after today.
func CheckDutyItem(year int, done bool, completed *time.Time, now time.Time) *Violation {
	if v := CheckYear("year", year, now); v != nil {
		return v
	}
	if completed != nil && !done {
		return &Violation{Code: CompletedNotDone, Field: "completedOn"}
	}
	if completed != nil {
		return CheckRecordDate("completedOn", *completed, now)
	}
	return nil
}

// Today is the calendar date of now in China, at UTC midnight (the form
// dates are stored in).
func Today(now time.Time) time.Time {
	y, m, d := now.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
