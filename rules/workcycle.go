package rules

import "time"

// TermSite is where a term (换届) is held: a county's villages elect
// together, on a day the county sets.
var TermSite = Site{English: "a term", Chinese: "换届所在县", Levels: Levels{County}}

// TrainingSite is where a training class is organized: a township, a county
// or a level above.
var TrainingSite = Site{English: "a training class", Chinese: "培训组织单位所在地区", Levels: Levels{Province, City, County, Township}}

// EnrolmentSite is where a trainee is recorded: where they serve.
var EnrolmentSite = Site{English: "an enrolment", Chinese: "学员所在村（乡镇）", Levels: Levels{County, Township, Village}}

// MaxHours bounds the hours of a class or an enrolment: a year of full-time
// study is about 2000 hours.
const MaxHours = 2000

// CheckHours refuses negative hours and more than MaxHours.
func CheckHours(field string, hours float64) *Violation {
	if hours < 0 || hours > MaxHours {
		return &Violation{Code: HoursOutOfRange, Field: field, Args: []any{hours}}
	}
	return nil
}

// CheckTrainingClass checks a class as it will stand: it has started by now
// or starts within a year (classes are planned), ends on or after its start,
// and its hours are in range.
func CheckTrainingClass(starts time.Time, ends *time.Time, hours *float64) *Violation {
	if ends != nil && before(*ends, starts) {
		return &Violation{Code: EndsBeforeStart, Field: "endsOn", Args: []any{Day(starts), Day(*ends)}}
	}
	if hours != nil {
		return CheckHours("hours", *hours)
	}
	return nil
}
