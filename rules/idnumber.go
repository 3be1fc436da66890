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
