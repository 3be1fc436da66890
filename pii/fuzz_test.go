package pii

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseIDNumber checks that an accepted 身份证号 satisfies ISO 7064
// MOD 11-2 as the standard states it (the weighted sum of all 18 characters,
// X standing for 10, is 1 modulo 11), carries a real birth date, reads back
// unchanged, and that a refused one gets one of the documented errors,
// which never quote it. Seeds are in testdata/fuzz/FuzzParseIDNumber.
func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "150221198805120029", "150221198805120028",
		"15022119880230002X", "", "１５０２２１１９８８０５１２００２９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIDNumber(s)
		if err != nil {
			if !errors.Is(err, ErrIDFormat) && !errors.Is(err, ErrIDCheckDigit) && !errors.Is(err, ErrIDBirthDate) {
				t.Fatalf("undocumented error %v", err)
			}
			if len(s) >= 6 && strings.Contains(err.Error(), s) {
				t.Fatalf("the error quotes the number: %v", err)
			}
			return
		}
		if len(id) != 18 || !strings.EqualFold(string(id), s) {
			t.Fatalf("%q → %q", s, id)
		}
		sum, weight := 0, 1
		for i := 17; i >= 0; i-- {
			c := id[i]
			v := int(c - '0')
			if c == 'X' {
				if i != 17 {
					t.Fatalf("%q: X before the check position", id)
				}
				v = 10
			} else if c < '0' || c > '9' {
				t.Fatalf("%q: character %q", id, c)
			}
			sum += v * weight
			weight = weight * 2 % 11
		}
		if sum%11 != 1 {
			t.Fatalf("%q fails MOD 11-2 (sum %d)", id, sum)
		}
		birth, ok := id.BirthDate()
		if !ok || birth.Format("20060102") != string(id[6:14]) {
			t.Fatalf("%q: birth date %v %v", id, birth, ok)
		}
		again, err := ParseIDNumber(string(id))
		if err != nil || again != id {
			t.Fatalf("%q does not read back: %q %v", id, again, err)
		}
		if m := MaskIDNumber(string(id)); m[:6] != string(id[:6]) || m[6:] != "************" {
			t.Fatalf("mask %q", m)
		}
	})
}

// FuzzCheckPhone checks that an accepted phone number is a mainland mobile
// (11 digits from 13 to 19) or a landline (0, then 9 to 11 digits, with at
// most one dash after the area code), and that masking any text keeps its
// length and hides all but 7 of its characters.
func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"13800138000", "12800138000", "010-12345678", "0472-1234567", "0101234567", "138 0013 8000",
		"+8613800138000", "1380013800０", "", "张三"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckPhone(s) == nil {
			digits := strings.ReplaceAll(s, "-", "")
			if strings.Trim(digits, "0123456789") != "" || strings.Count(s, "-") > 1 || strings.HasPrefix(s, "-") {
				t.Fatalf("accepted %q", s)
			}
			mobile := len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9'
			landline := s[0] == '0' && len(digits) >= 10 && len(digits) <= 12 && !strings.HasSuffix(s, "-")
			if !mobile && !landline {
				t.Fatalf("accepted %q", s)
			}
		}
		m := []rune(MaskPhone(s))
		r := []rune(s)
		if len(m) != len(r) {
			t.Fatalf("mask of %q has another length: %q", s, string(m))
		}
		kept := 0
		for i := range r {
			if m[i] == r[i] && r[i] != '*' {
				kept++
			}
		}
		if kept > 7 {
			t.Fatalf("mask of %q keeps %d characters: %q", s, kept, string(m))
		}
	})
}
