package rules

import (
	"slices"
	"strings"
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

// Complete fills in what the number says and checks what it can; a
// month-only birth date is checked to the month and takes the day.
func TestComplete(t *testing.T) {
	id, _ := ParseIDNumber(example) // 1949-12-31, female
	p := ProfileOf(id)
	month := func(s string) *Birth { b := MonthOf(date(s)); return &b }
	full := func(s string) *Birth { return &Birth{Date: date(s)} }
	cases := []struct {
		birth      *Birth
		gender     string
		want, sex  string
		violations []Code
	}{
		{nil, "", "1949-12-31", "FEMALE", nil},                       // both derived
		{month("1949-12-01"), "FEMALE", "1949-12-31", "FEMALE", nil}, // the month agrees: the day is the number's
		{full("1949-12-31"), "", "1949-12-31", "FEMALE", nil},
		{month("1949-11-01"), "", "1949年11月", "FEMALE", []Code{IDBirthMonthMismatch}},
		{month("1950-12-01"), "", "1950年12月", "FEMALE", []Code{IDBirthMonthMismatch}}, // same month, another year
		{full("1949-12-01"), "", "1949-12-01", "FEMALE", []Code{IDBirthMismatch}},     // a full date is not a month
		{nil, "MALE", "1949-12-31", "MALE", []Code{IDGenderMismatch}},
	}
	for _, c := range cases {
		b, sex, vs := p.Complete(c.birth, c.gender)
		var got []Code
		for _, v := range vs {
			got = append(got, v.Code)
		}
		if b.Text() != c.want || sex != c.sex || !slices.Equal(got, c.violations) {
			t.Errorf("%+v %q: %s %s %v, want %s %s %v", c.birth, c.gender, b.Text(), sex, got, c.want, c.sex, c.violations)
		}
	}
	// The refusal names both months, and neither the number nor its day.
	_, _, vs := p.Complete(month("1949-11-01"), "")
	text := vs[0].Error()
	for _, want := range []string{"1949-11", "1949-12", "出生年月"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q does not say %s", text, want)
		}
	}
	if strings.Contains(text, example[:14]) || strings.Contains(text, "31") || strings.Contains(text, "19491231") {
		t.Errorf("%q quotes the ID number or its day", text)
	}
}

func TestBirthText(t *testing.T) {
	if got := MonthOf(date("1971-07-15")).Text(); got != "1971年07月" {
		t.Error(got)
	}
	if got := (Birth{Date: date("1971-07-15")}).Text(); got != "1971-07-15" {
		t.Error(got)
	}
	if d := MonthOf(date("1971-07-15")).Date; Day(d) != "1971-07-01" {
		t.Error(d)
	}
}
