package rules

import (
	"time"

	"yanzhen/pii"
)

// ParseIDNumber is pii.ParseIDNumber with its refusal as a violation.
func ParseIDNumber(raw string) (pii.IDNumber, *Violation) {
	id, err := pii.ParseIDNumber(raw)
	switch err {
	case nil:
		return id, nil
	case pii.ErrIDFormat:
		return "", &Violation{Code: IDFormat, Field: "idNumber"}
	case pii.ErrIDCheckDigit:
		return "", &Violation{Code: IDCheckDigit, Field: "idNumber"}
	default:
		return "", &Violation{Code: IDBirthDate, Field: "idNumber"}
	}
}

// Profile is what a resident ID number says about its holder.
type Profile struct {
	// Region is the 6-digit division code of where the number was issued.
	Region string
	Birth  time.Time
	Female bool
}

// ProfileOf reads a checked ID number.
func ProfileOf(id pii.IDNumber) Profile {
	birth, _ := id.BirthDate()
	return Profile{Region: string(id[:6]), Birth: birth, Female: id.Female()}
}

// Agrees: the person's birth date and gender, where known (nil, ""), are
// those the ID number says. gender is MALE or FEMALE. Each disagreement is
// one violation.
func (p Profile) Agrees(birth *time.Time, gender string) []*Violation {
	var vs []*Violation
	if birth != nil && Day(*birth) != Day(p.Birth) {
		vs = append(vs, &Violation{Code: IDBirthMismatch, Field: "idNumber"})
	}
	if gender != "" && (gender == "FEMALE") != p.Female {
		vs = append(vs, &Violation{Code: IDGenderMismatch, Field: "idNumber"})
	}
	return vs
}

// Birth is a birth date as written: to the day, or — the 出生年月 of a cadre
// roster — to the month only (Month true), when Date is the 1st of that
// month. Storing the 1st keeps one date column that sorts, filters and
// gives ages (counted from the 1st: the month a person reaches an age is
// the month they are said to be of that age, as 出生年月 is read).
type Birth struct {
	Date  time.Time
	Month bool
}

// MonthOf is the birth month of t, as a month-only Birth.
func MonthOf(t time.Time) Birth {
	return Birth{Date: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), Month: true}
}

// Text is the birth date as a roster writes it: 1971年07月, or 1971-07-15.
func (b Birth) Text() string {
	if b.Month {
		return b.Date.Format("2006年01月")
	}
	return Day(b.Date)
}

// Complete reconciles a person's birth date and gender (nil and "" when
// not known) with their ID number, and fills in what the number tells:
//
//   - an empty birth date or gender becomes the one the number says (the
//     number is the better source: it is checked, and typed once);
//   - a month-only birth date in the number's month becomes the number's
//     full date, so a roster that writes 出生年月 loses nothing when the
//     身份证号 is there;
//   - a full birth date must be the number's (IDBirthMismatch), a
//     month-only one its month (IDBirthMonthMismatch, naming both months:
//     a month is not the number, and tells the writer what to fix), and a
//     gender its sex (IDGenderMismatch).
//
// It returns the birth date and gender the person has after it, and each
// disagreement as one violation (what disagrees is left as written).
func (p Profile) Complete(birth *Birth, gender string) (Birth, string, []*Violation) {
	var vs []*Violation
	out := Birth{Date: p.Birth}
	switch {
	case birth == nil:
	case !birth.Month:
		out = *birth
		if d := birth.Date; Day(d) != Day(p.Birth) {
			vs = append(vs, &Violation{Code: IDBirthMismatch, Field: "idNumber"})
		}
	case birth.Date.Year() != p.Birth.Year() || birth.Date.Month() != p.Birth.Month():
		out = *birth
		vs = append(vs, &Violation{Code: IDBirthMonthMismatch, Field: "idNumber",
			Args: []any{birth.Date.Format("2006-01"), p.Birth.Format("2006-01")}})
	}
	switch {
	case gender == "" && p.Female:
		gender = "FEMALE"
	case gender == "":
		gender = "MALE"
	case (gender == "FEMALE") != p.Female:
		vs = append(vs, &Violation{Code: IDGenderMismatch, Field: "idNumber"})
	}
	return out, gender, vs
}
