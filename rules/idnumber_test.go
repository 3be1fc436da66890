package rules

import (
	"testing"
	"time"
)

// The example of GB 11643: born 1949-12-31 in 110105, female.
const example = "11010519491231002X"

func TestParseIDNumber(t *testing.T) {
	cases := []struct {
		raw  string
		want Code
	}{
		{example, ""},
		{"11010519491231002x", ""}, // lower-case x
		{"110105194912310021", IDCheckDigit},
		{"1101051949123100", IDFormat},
		{"11010519491231002Y", IDFormat},
		{"110105194913310021", IDBirthDate}, // month 13, check digit right
		{"11010520300101001X", IDBirthDate}, // born in the future
	}
	for _, c := range cases {
		id, v := ParseIDNumber(c.raw)
		var got Code
		if v != nil {
			got = v.Code
			if v.Field != "idNumber" || id != "" {
				t.Errorf("%s: %+v %q", c.raw, v, id)
			}
		}
		if got != c.want {
			t.Errorf("%s: %v, want %v", c.raw, got, c.want)
		}
	}
}

func TestProfile(t *testing.T) {
	id, v := ParseIDNumber(example)
	if v != nil {
		t.Fatal(v)
	}
	p := ProfileOf(id)
	if p.Region != "110105" || Day(p.Birth) != "1949-12-31" || !p.Female {
		t.Fatalf("%+v", p)
	}
	man, _ := ParseIDNumber("150221199509030031")
	if ProfileOf(man).Female {
		t.Fatal("a man read as a woman")
	}
	cases := []struct {
		birth  *time.Time
		gender string
		want   []Code
	}{
		{nil, "", nil},
		{datePtr("1949-12-31"), "FEMALE", nil},
		{datePtr("1950-01-01"), "", []Code{IDBirthMismatch}},
		{datePtr("1949-12-30"), "", []Code{IDBirthMismatch}},
		{nil, "MALE", []Code{IDGenderMismatch}},
		{datePtr("1950-01-01"), "MALE", []Code{IDBirthMismatch, IDGenderMismatch}},
	}
	for _, c := range cases {
		var got []Code
		for _, v := range p.Agrees(c.birth, c.gender) {
			got = append(got, v.Code)
		}
		if len(got) != len(c.want) || (len(got) > 0 && (got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1])) {
			t.Errorf("%v %q: %v, want %v", c.birth, c.gender, got, c.want)
		}
	}
	// A birth date read back from a database in another zone is the same day.
	local := time.Date(1949, 12, 31, 0, 0, 0, 0, China)
	if vs := p.Agrees(&local, ""); len(vs) != 0 {
		t.Fatal(vs[0])
	}
}
