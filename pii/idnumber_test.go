package pii

import "testing"

// validID builds a number with a correct check digit from its first 17.
func validID(first17 string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return first17 + string(idCheckChars[sum%11])
}

func TestParseIDNumber(t *testing.T) {
	// 11010519491231002X is the standard's own worked example (check digit X).
	id, err := ParseIDNumber("11010519491231002X")
	if err != nil {
		t.Fatalf("standard example rejected: %v", err)
	}
	if d, _ := id.BirthDate(); d.Format("2006-01-02") != "1949-12-31" || !id.Female() {
		t.Fatalf("birth %v female %v", d, id.Female())
	}
	if _, err := ParseIDNumber("11010519491231002x"); err != nil {
		t.Fatalf("lower-case x: %v", err)
	}
	if _, err := ParseIDNumber("110105194912310021"); err != ErrIDCheckDigit {
		t.Fatalf("wrong check digit: %v", err)
	}
	if _, err := ParseIDNumber("1101051949123100"); err != ErrIDFormat {
		t.Fatalf("short: %v", err)
	}
	if _, err := ParseIDNumber(validID("11010519491331002")); err != ErrIDBirthDate {
		t.Fatalf("month 13: %v", err)
	}
	male, err := ParseIDNumber(validID("15022119800101001"))
	if err != nil || male.Female() {
		t.Fatalf("male: %v %v", err, male.Female())
	}
}

func TestCheckPhone(t *testing.T) {
	for _, ok := range []string{"13800138000", "0472-8123456", "01012345678"} {
		if CheckPhone(ok) != nil {
			t.Errorf("%s rejected", ok)
		}
	}
	for _, bad := range []string{"12800138000", "1380013800", "phone", ""} {
		if CheckPhone(bad) == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
