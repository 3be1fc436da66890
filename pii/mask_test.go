package pii

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	cases := []struct{ in, phone, id string }{
		{"13800138000", "138****8000", "***********"},
		{"110105199001010123", "110***********0123", "110105************"},
		{"110105900101012", "110********1012", "110105*********"},
		{"", "", ""},
		{"1234", "****", "****"},
		{"1101051990010101", "110*********0101", "****************"},
	}
	for _, c := range cases {
		if got := MaskPhone(c.in); got != c.phone {
			t.Errorf("MaskPhone(%q) = %q, want %q", c.in, got, c.phone)
		}
		if got := MaskIDNumber(c.in); got != c.id {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", c.in, got, c.id)
		}
		// Masking what is already masked changes nothing (audit entries
		// are masked again when read).
		if got := MaskIDNumber(MaskIDNumber(c.in)); got != c.id {
			t.Errorf("MaskIDNumber twice (%q) = %q", c.in, got)
		}
	}
}

// fillBirthDate puts a birth date (YYYY-MM-DD) into digits 7–14 of a
// masked ID number, as anyone who reads the birthDate field can.
func fillBirthDate(masked, birth string) string {
	return masked[:6] + strings.ReplaceAll(birth, "-", "") + masked[14:]
}

// TestMaskedIDNumberCannotBeRebuilt: with the birth date and the sex
// readable, a masked number still fits 500 numbers. The mask that kept the
// last four digits fitted exactly one.
func TestMaskedIDNumberCannotBeRebuilt(t *testing.T) {
	const id = "11010519491231002X" // GB 11643's example: born 1949-12-31, female
	female := func(x IDNumber) bool { return x.Female() }
	n := CountIDNumbers(fillBirthDate(MaskIDNumber(id), "1949-12-31"), female)
	t.Logf("%s: %d candidates", MaskIDNumber(id), n)
	if n < 500 {
		t.Fatalf("the masked number %s with the birth date fits %d numbers, want ≥ 500", MaskIDNumber(id), n)
	}
	if old := CountIDNumbers(fillBirthDate("110105********002X", "1949-12-31"), female); old != 1 {
		t.Fatalf("the old mask fits %d numbers", old)
	}
}

func TestCountIDNumbers(t *testing.T) {
	if n := CountIDNumbers("11010519491231002X", nil); n != 1 {
		t.Fatalf("a full number: %d", n)
	}
	if n := CountIDNumbers("110105194912310021", nil); n != 0 {
		t.Fatalf("a wrong check digit: %d", n)
	}
	// Three unknown digits: 1,000 numbers, each with its check digit.
	if n := CountIDNumbers("11010519491231****", nil); n != 1000 {
		t.Fatalf("three unknown digits: %d", n)
	}
	if n := CountIDNumbers("110105************", nil); n != -1 {
		t.Fatalf("too many unknown digits: %d", n)
	}
	if CheckDigit("11010519491231002") != 'X' || CheckDigit("1101051949123100") != 0 {
		t.Fatal("CheckDigit")
	}
}
